import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';

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
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
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
  // WebCrypto still signs: only its key generation is disabled here.
  await expect(status).toHaveText('CSR created. Signed with WebCrypto.');
});

test('where WebCrypto refuses to sign, RSA CSRs, certificates and CRLs are signed in wasm', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(SubtleCrypto.prototype, 'sign', {
      value: () => Promise.reject(new DOMException('disabled by the test', 'NotSupportedError')),
    });
  });
  await page.goto('/');
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  const status = page.getByTestId('workshop-status');
  await page.getByText('Import a private key').click();
  await page.getByLabel('Private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1)')
    .fill(readFileSync(new URL('../../data/keys/csr-rsa.key.pem', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Import key' }).click();
  await expect(status).toContainText('Key 1 (RSA-2048) is ready (imported)');

  await page.getByLabel('Key for the CSR').selectOption({ label: 'Key 1 (RSA-2048)' });
  await page.getByLabel('CSR common name (CN)').fill('fallback.example');
  await page.getByRole('button', { name: 'Create CSR' }).click();
  await expect(status).toHaveText('CSR created. Signed in wasm.');
  await expect(page.getByLabel('CSR', { exact: true })).toHaveValue(/^-----BEGIN CERTIFICATE REQUEST-----/);

  await page.getByLabel('Subject key').selectOption({ label: 'Key 1 (RSA-2048)' });
  await page.getByLabel('Certificate common name (CN)').fill('Fallback CA');
  await page.getByLabel('Certificate authority (CA)').check();
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  await expect(status).toHaveText('Certificate issued. Signed in wasm.');

  await page.getByLabel('CRL issuer').selectOption({ label: 'Fallback CA (root)' });
  await page.getByRole('button', { name: 'Issue CRL' }).click();
  await expect(status).toHaveText('CRL issued. Signed in wasm.');
  await expect(page.getByLabel('CRL', { exact: true })).toHaveValue(/^-----BEGIN X509 CRL-----/);
});

test('cancelling a worker generation stops it and discards the key', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await page.getByLabel('Key algorithm').selectOption('RSA-4096');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await page.getByRole('button', { name: 'Cancel generation' }).click();
  await expect(page.getByTestId('workshop-status')).toContainText('Key generation cancelled');
  await expect(page.getByTestId('key-row')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Generate key' })).toBeEnabled();
});
