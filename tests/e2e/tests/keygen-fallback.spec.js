import { test, expect } from '@playwright/test';

// Where WebCrypto refuses to generate keys, the Rust implementation runs in a Web Worker, so
// the page stays responsive, and Cancel really stops it.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(SubtleCrypto.prototype, 'generateKey', {
      value: () => Promise.reject(new DOMException('disabled by the test', 'NotSupportedError')),
    });
  });
});

test('without WebCrypto generation, keys come from the wasm worker', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Keys & certificates' }).click();
  const status = page.getByTestId('workshop-status');
  await page.getByLabel('Key algorithm').selectOption('P-256');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 1 (P-256) is ready (wasm worker)');
  await page.getByLabel('Key algorithm').selectOption('RSA-2048');
  await page.getByRole('button', { name: 'Generate key' }).click();
  // While the worker searches for primes, the page still answers: the elapsed time ticks.
  await expect(page.getByRole('status').filter({ hasText: 'Generating RSA-2048' })).toContainText(/Generating RSA-2048… [0-9.]+ s/);
  await expect(status).toContainText('Key 2 (RSA-2048) is ready (wasm worker)', { timeout: 60_000 });
  // The key works: a CSR signed with it verifies.
  await page.getByLabel('Key for the CSR').selectOption({ label: 'Key 2 (RSA-2048)' });
  await page.getByLabel('CSR common name (CN)').fill('worker.example');
  await page.getByRole('button', { name: 'Create CSR' }).click();
  await expect(status).toContainText('CSR created.');
});

test('cancelling a worker generation stops it and discards the key', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Keys & certificates' }).click();
  await page.getByLabel('Key algorithm').selectOption('RSA-4096');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await page.getByRole('button', { name: 'Cancel generation' }).click();
  await expect(page.getByTestId('workshop-status')).toContainText('Key generation cancelled');
  await expect(page.getByTestId('key-row')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Generate key' })).toBeEnabled();
});
