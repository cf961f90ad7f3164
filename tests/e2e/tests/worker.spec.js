import { writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { InspectPage, readVector } from './fixtures/inspect-page.js';

// Big inputs are parsed in the parse worker (src/parse_worker.rs): the page never runs a long
// task while 30,000 certificates load, the load can be cancelled at once, and a cancelled worker
// posts nothing more.
const N = 30_000;
const big = (n = N) => Buffer.from(readVector('chain/leaf.pem').toString().repeat(n));

/** Records every long task (PerformanceObserver 'longtask', 50 ms and more) from page start. */
async function recordLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Notes every request for the parse worker's script or wasm. */
function watchWorker(page) {
  const seen = [];
  page.on('request', (r) => { if (r.url().includes('parse-worker')) seen.push(r.url()); });
  return seen;
}

test('a 30,000-certificate bundle loads in the worker without a long task over 200 ms', async ({ page }) => {
  await recordLongTasks(page);
  const workerRequests = watchWorker(page);
  const ui = new InspectPage(page);
  await ui.goto();
  // Let start-up (wasm compile, first render) finish before measuring the load itself.
  await page.waitForTimeout(500);
  // From a file on disk: a Buffer would be copied into the page by Playwright itself, a long
  // task of its own.
  const file = test.info().outputPath('big.pem');
  writeFileSync(file, big());
  const from = await page.evaluate(() => performance.now());
  await ui.fileInput.setInputFiles(file);
  await expect(page.getByRole('button', { name: 'Cancel loading' })).toBeVisible();
  await expect(ui.count).toHaveText(String(N), { timeout: 90_000 });
  await expect(ui.status).toContainText(`Loaded ${N} certificates`);
  const to = await page.evaluate(() => performance.now());
  const tasks = await page.evaluate(([a, b]) => window.__longTasks.filter((t) => t.start + t.duration >= a && t.start <= b), [from, to]);
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  console.log(`worker load of ${N} certificates: ${((to - from) / 1000).toFixed(1)} s, ${tasks.length} long tasks (>= 50 ms), longest ${longest.toFixed(0)} ms`);
  expect(workerRequests.some((u) => u.endsWith('.wasm')), 'the parse worker was used').toBe(true);
  expect(longest, JSON.stringify(tasks)).toBeLessThan(200);
  // The table is the app's one certificate table, windowed: complete (every row counted for
  // assistive tech) with only a few dozen rows in the DOM, and usable: the last certificate opens.
  await expect(ui.table).toHaveClass(/(^| )cert-table( |$)/);
  await expect(ui.table).toHaveClass(/(^| )windowed( |$)/);
  await expect(ui.table).toHaveAttribute('aria-rowcount', String(N + 1));
  expect(await ui.rows.count()).toBeLessThan(60);
  await page.getByRole('region', { name: 'Loaded certificates (scrollable)' }).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  const last = page.getByRole('button', { name: `Show details of certificate ${N}` });
  await last.click();
  await expect(ui.detail).toBeVisible();
  await expect(ui.rows.filter({ has: last })).toHaveAttribute('aria-current', 'true');
  await expect(ui.rows.filter({ has: last })).toHaveAttribute('aria-rowindex', String(N + 1));
});

test('cancelling stops the worker at once, keeps what arrived, and the next load works', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  const file = test.info().outputPath('big.pem');
  writeFileSync(file, big(2 * N));
  await ui.fileInput.setInputFiles(file);
  // As soon as some certificates have arrived, cancel. Checking the count and pressing Cancel in
  // one task of the page leaves the load no moment to finish in between (polling from the test
  // and then clicking did, once, on a busy machine).
  await page.waitForFunction(
    () => {
      const count = Number(document.querySelector('[data-testid="cert-count"]')?.textContent);
      const cancel = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Cancel loading' || b.getAttribute('aria-label') === 'Cancel loading');
      if (!(count > 0) || !cancel) return false;
      cancel.click();
      return true;
    },
    null,
    { polling: 'raf', timeout: 60_000 },
  );
  await expect(ui.status).toContainText('Cancelled');
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  const loaded = Number(await ui.count.textContent());
  expect(loaded).toBeGreaterThan(0);
  expect(loaded).toBeLessThan(2 * N);
  await expect(ui.status).toContainText(`Cancelled: ${loaded} certificates from big.pem`);
  // The worker is gone: nothing more arrives.
  await page.waitForTimeout(1500);
  expect(Number(await ui.count.textContent())).toBe(loaded);
  // A new big load (pasted text over the worker threshold this time) starts a new worker.
  await ui.button('Clear').click();
  // Set the 1.1 MB text directly (typing it through Playwright would take minutes).
  await ui.paste.evaluate((el, text) => {
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, readVector('chain/leaf.pem').toString().repeat(1000));
  await ui.loadPasted.click();
  await expect(ui.count).toHaveText('1000', { timeout: 60_000 });
  await expect(ui.status).toContainText('Loaded 1000 certificates');
});

test('problems and CRLs found by the worker are reported like on the main thread', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  const leaf = readVector('chain/leaf.pem').toString();
  const text = `${leaf.repeat(1000)}-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n${readVector('crl/intermediate.crl.pem').toString()}`;
  await ui.fileInput.setInputFiles({ name: 'mixed.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(text) });
  await expect(ui.status).toContainText('Loaded 1000 certificates, 1 CRL', { timeout: 60_000 });
  await expect(ui.problems).toContainText('mixed.pem, block 1001');
});
