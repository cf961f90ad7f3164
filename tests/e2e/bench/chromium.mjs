// Shared by run.mjs and keys-run.mjs: opens a benchmark page in headless Chromium, waits for the
// page to publish its result in a global, and hands the result back.
import { chromium } from 'playwright-core';

/** The value after `name` on the command line, else `fallback`. */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

export const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * Launches headless Chromium, opens `url`, relays the page's errors and warnings to stderr and waits
 * (up to `timeoutMs`) until `window[resultGlobal]` is set. On success prints the page's `#result`
 * text between markers and returns `{ result, version }` (the Chromium version); when the page
 * reports `{ error }`, prints it and exits with status 1.
 */
export async function runBenchPage(url, resultGlobal, timeoutMs) {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const version = browser.version();
  let result;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error(`[page ${m.type()}] ${m.text()}`); });
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await page.goto(url);
    await page.waitForFunction((name) => window[name] !== undefined, resultGlobal, { timeout: timeoutMs, polling: 500 });
    result = await page.evaluate((name) => window[name], resultGlobal);
    const pageText = await page.locator('#result').textContent();
    if (!result.error) {
      console.log('--- page output ---');
      console.log(pageText);
      console.log('-------------------');
    }
  } finally {
    await browser.close();
  }
  if (result.error) {
    console.error(`benchmark failed in the page: ${result.error}`);
    process.exit(1);
  }
  return { result, version };
}
