// Shared by run.mjs and keys-run.mjs: opens a benchmark page in headless Chromium, waits for the
// page to publish its result in a global, and hands the result back.
import { fileURLToPath } from 'node:url';
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
      '--disable-component-update', '--disable-sync',
      // `gc()` for the pages: each timed run starts after a full collection, so no run pays for
      // the garbage of the one before (another library's, in the interleaved pairs).
      '--js-flags=--expose-gc'],
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

/**
 * Opens the app at `appUrl`, records main-thread long tasks (PerformanceObserver 'longtask'),
 * loads the PEM file at `bundleFile` (a file: URL) through the Inspect page's file input and
 * waits for "Loaded N certificates". Returns `{ certificates, seconds, over50, over200,
 * longestMs }`, or `{ skipped }` when the served app has no parse worker (not built).
 */
export async function runAppLoad(appUrl, bundleFile, timeoutMs) {
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const probe = await page.request.get(new URL('/parse-worker_loader.js', appUrl).href);
    if (!probe.ok()) return { skipped: 'dist/ has no parse worker (run `trunk build --release --skip-version-check` first)' };
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    page.on('pageerror', (e) => console.error(`[app error] ${e.message}`));
    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Load pasted text' }).waitFor();
    await page.waitForTimeout(1000);
    const from = await page.evaluate(() => performance.now());
    await page.getByLabel('Choose files').setInputFiles(fileURLToPath(bundleFile));
    await page.getByTestId('status').filter({ hasText: /Loaded \d+ certificates/ }).waitFor({ timeout: timeoutMs });
    const to = await page.evaluate(() => performance.now());
    const certificates = Number(await page.getByTestId('cert-count').textContent());
    const tasks = await page.evaluate(([a, b]) => window.__longTasks.filter((t) => t.start + t.duration >= a && t.start <= b), [from, to]);
    const longest = Math.max(0, ...tasks.map((t) => t.duration));
    return {
      certificates,
      seconds: ((to - from) / 1000).toFixed(1),
      over50: tasks.filter((t) => t.duration > 50).length,
      over200: tasks.filter((t) => t.duration > 200).length,
      longestMs: Math.round(longest),
    };
  } finally {
    await browser.close();
  }
}
