import { test, expect } from '@playwright/test';
import { InspectPage, readVector, vector } from './fixtures/inspect-page.js';

test('dropping a DER certificate loads it', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.dropFiles([{ name: 'leaf.der', bytes: readVector('chain/leaf.der') }]);
  await expect(ui.count).toHaveText('1');
  await expect(ui.detail.getByTestId('subject-dn')).toHaveText('CN=example.com,O=Certwright Test,C=US');
  await expect(ui.detail).toContainText('leaf.der');
});

test('the file picker loads several files: PKCS#7, CRL and CSR', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.fileInput.setInputFiles([vector('pkcs7/chain.p7b'), vector('crl/intermediate.crl.pem'), vector('csr/rsa.csr.pem')]);
  await expect(ui.count).toHaveText('3');
  const crl = page.getByRole('table', { name: 'Revoked certificates of CRL 1' });
  await expect(crl).toContainText('keyCompromise');
  await expect(crl).toContainText('cessationOfOperation');
  await expect(page.getByRole('article', { name: 'CSR 1' })).toContainText('verifies');
});
