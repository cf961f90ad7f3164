import { writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { InspectPage, readVector } from './fixtures/inspect-page.js';

// 30,000 certificates (the leaf vector repeated) as one file.
const N = 30_000;
const big = (n = N) => Buffer.from(readVector('chain/leaf.pem').toString().repeat(n));

/** Records in the page whether a progress bar was ever shown (it may come and go quickly). */
async function watchProgress(page) {
  await page.evaluate(() => {
    window.__sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('progress')) window.__sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
}

test('a 30,000-certificate bundle loads in slices with progress; only visible rows are rendered', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await watchProgress(page);
  await ui.fileInput.setInputFiles({ name: 'big.pem', mimeType: 'application/x-pem-file', buffer: big() });
  await expect(ui.count).toHaveText(String(N), { timeout: 90_000 });
  await expect(ui.status).toContainText(`Loaded ${N} certificates`);
  expect(await page.evaluate(() => window.__sawProgress)).toBe(true);
  // Virtualised: a few dozen rows in the DOM, not 30,000.
  expect(await ui.rows.count()).toBeLessThan(60);
  // Scrolling to the end renders the last rows.
  await page.getByRole('region', { name: 'Loaded certificates (scrollable)' }).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(page.getByRole('button', { name: `Show details of certificate ${N}` })).toBeVisible();
});

test('loading can be cancelled and keeps what was loaded', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  // Twice as many, so the load is still running when the button is pressed (over Playwright's
  // 50 MB in-memory limit, so it goes through a file).
  const file = test.info().outputPath('big.pem');
  writeFileSync(file, big(2 * N));
  await ui.fileInput.setInputFiles(file);
  const cancel = page.getByRole('button', { name: 'Cancel loading' });
  await expect(cancel).toBeVisible();
  await cancel.click();
  await expect(ui.status).toContainText('Cancelled');
  const loaded = Number(await ui.count.textContent());
  expect(loaded).toBeLessThan(2 * N);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
});
