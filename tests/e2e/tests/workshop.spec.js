import { test, expect } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** openssl's stdout and stderr together (it reports `verify OK` on stderr). */
const openssl = (...args) => { const r = spawnSync('openssl', args, { encoding: 'utf8' }); return r.stdout + r.stderr; };

/** Reads a download's text. */
async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await download.path(), 'utf8');
}

test('every key flow of the workshop runs while no request, log or storage carries key material', async ({ page }) => {
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '', headers: JSON.stringify(r.headers()) }));
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));

  await page.goto('/');
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  const status = page.getByTestId('workshop-status');
  // The certificate form's profile (the PKCS#12 form has a "Profile" select too).
  const certProfile = page.locator('[aria-labelledby=cert-heading]').getByLabel('Profile');

  // Generate a P-384 CA key and an RSA-2048 client key (WebCrypto).
  await page.getByLabel('Key algorithm').selectOption('P-384');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 1 (P-384) is ready (webcrypto)');
  await page.getByLabel('Key algorithm').selectOption('RSA-2048');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 2 (RSA-2048) is ready (webcrypto)');
  await expect(page.getByTestId('key-row')).toHaveCount(2);

  // Export key 2 encrypted; re-import it with its password; a wrong password is a clear error.
  await page.getByLabel('Key to export').selectOption({ label: 'Key 2 (RSA-2048)' });
  await page.getByLabel('Export password').fill('correct horse battery');
  const encrypted = await downloaded(page, () => page.getByRole('button', { name: 'Download encrypted key' }).click());
  expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  await page.getByText('Import a private key').click();
  await page.getByLabel('Private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1)').fill(encrypted);
  await page.getByLabel('Key password (for encrypted keys)').fill('wrong');
  await page.getByRole('button', { name: 'Import key' }).click();
  await expect(status).toContainText('Import failed: wrong password');
  await page.getByLabel('Key password (for encrypted keys)').fill('correct horse battery');
  await page.getByRole('button', { name: 'Import key' }).click();
  await expect(status).toContainText('Key 3 (RSA-2048) is ready (imported)');

  // Unencrypted export needs explicit confirmation.
  const plainButton = page.getByRole('button', { name: 'Download unencrypted key' });
  await expect(plainButton).toBeDisabled();
  await page.getByLabel('I understand an unencrypted key file is readable by anyone who gets it').check();
  const plain = await downloaded(page, () => plainButton.click());
  expect(plain).toMatch(/^-----BEGIN PRIVATE KEY-----/);

  // A CSR for key 3, with a field error first.
  await page.getByLabel('Key for the CSR').selectOption({ label: 'Key 3 (RSA-2048)' });
  await page.getByLabel('CSR common name (CN)').fill('client-1.example.com');
  await page.getByLabel('CSR country (C)').fill('XX');
  await page.getByRole('button', { name: 'Create CSR' }).click();
  await expect(page.getByRole('alert', { name: 'CSR problems' })).toContainText('subject.country');
  await page.getByLabel('CSR country (C)').fill('DE');
  await page.getByRole('button', { name: 'Create CSR' }).click();
  // An RSA key signs through WebCrypto.
  await expect(status).toHaveText('CSR created. Signed with WebCrypto.');
  const csr = await page.getByLabel('CSR', { exact: true }).inputValue();
  expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);

  // An OpenAI mTLS CA from key 1: the profile is satisfied by its defaults plus a subject.
  await certProfile.selectOption('OpenAI mTLS CA');
  await page.getByLabel('Subject key').selectOption({ label: 'Key 1 (P-384)' });
  await page.getByLabel('Certificate common name (CN)').fill('Example mTLS CA');
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  // A P-384 key signs in wasm.
  await expect(status).toHaveText('Certificate issued. Signed in wasm.');
  const ca = await page.getByLabel('certificate', { exact: true }).inputValue();

  // The client profile explains what is missing before anything is built, then issues from the CSR.
  await certProfile.selectOption('OpenAI client certificate');
  await page.getByLabel('…or the CSR to certify (PEM)').fill(csr);
  // The CA just made is pre-selected as the issuer; self-signed, the profile says it needs one.
  await expect(page.getByLabel('Issuing CA')).toHaveValue(/\d+/);
  await page.getByLabel('Issuing CA').selectOption({ label: 'Self-signed' });
  await expect(page.getByRole('alert', { name: 'Profile problems' })).toContainText('issuer');
  await page.getByLabel('Issuing CA').selectOption({ label: 'Example mTLS CA (root)' });
  await expect(page.getByRole('alert', { name: 'Profile problems' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  await expect(status).toContainText('Certificate issued.');
  const client = await page.getByLabel('certificate', { exact: true }).inputValue();

  // openssl verifies what the browser made.
  const dir = test.info().outputPath('');
  writeFileSync(`${dir}/ca.pem`, ca);
  writeFileSync(`${dir}/client.pem`, client);
  writeFileSync(`${dir}/req.csr`, csr);
  expect(openssl('verify', '-x509_strict', '-CAfile', `${dir}/ca.pem`, `${dir}/client.pem`)).toContain(': OK');
  expect(openssl('req', '-in', `${dir}/req.csr`, '-noout', '-verify')).toMatch(/verify OK/);

  // A CRL from the CA.
  await page.getByLabel('CRL issuer').selectOption({ label: 'Example mTLS CA (root)' });
  await page.getByLabel('Revoked serials (one per line: serial in hex, optionally a reason such as keyCompromise)').fill('01a2 keyCompromise');
  await page.getByRole('button', { name: 'Issue CRL' }).click();
  await expect(status).toHaveText('CRL issued. Signed in wasm.');
  const crl = await page.getByLabel('CRL', { exact: true }).inputValue();
  writeFileSync(`${dir}/ca.crl`, crl);
  expect(openssl('crl', '-in', `${dir}/ca.crl`, '-noout', '-verify', '-CAfile', `${dir}/ca.pem`)).toMatch(/verify OK/);
  expect(openssl('crl', '-in', `${dir}/ca.crl`, '-noout', '-text')).toMatch(/Serial Number: 01A2\s+Revocation Date: .*\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+Key Compromise/);

  // An RSA CA (key 3, self-signed) and its CRL are signed through WebCrypto; openssl verifies both.
  await certProfile.selectOption('Custom');
  await page.getByLabel('…or the CSR to certify (PEM)').fill('');
  await page.getByLabel('Issuing CA').selectOption({ label: 'Self-signed' });
  await page.getByLabel('Subject key').selectOption({ label: 'Key 3 (RSA-2048)' });
  await page.getByLabel('Certificate common name (CN)').fill('Example RSA CA');
  await page.getByLabel('Certificate authority (CA)').check();
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  await expect(status).toHaveText('Certificate issued. Signed with WebCrypto.');
  writeFileSync(`${dir}/rsa-ca.pem`, await page.getByLabel('certificate', { exact: true }).inputValue());
  expect(openssl('verify', '-x509_strict', '-CAfile', `${dir}/rsa-ca.pem`, `${dir}/rsa-ca.pem`)).toContain(': OK');
  await page.getByLabel('CRL issuer').selectOption({ label: 'Example RSA CA (root)' });
  await page.getByRole('button', { name: 'Issue CRL' }).click();
  await expect(status).toHaveText('CRL issued. Signed with WebCrypto.');
  writeFileSync(`${dir}/rsa-ca.crl`, await page.getByLabel('CRL', { exact: true }).inputValue());
  expect(openssl('crl', '-in', `${dir}/rsa-ca.crl`, '-noout', '-verify', '-CAfile', `${dir}/rsa-ca.pem`)).toMatch(/verify OK/);

  // Nothing secret went anywhere: requests, console, web storage.
  const keyBase64 = plain.split('\n').filter((l) => l && !l.startsWith('-----'));
  const encBase64 = encrypted.split('\n').filter((l) => l && !l.startsWith('-----'));
  const haystacks = [...requests.map((r) => r.url + r.body + r.headers), ...logs,
    JSON.stringify(await page.evaluate(() => ({ ...localStorage }))), JSON.stringify(await page.evaluate(() => ({ ...sessionStorage })))];
  for (const h of haystacks) {
    expect(h).not.toContain('PRIVATE KEY');
    expect(h).not.toContain('correct horse battery');
    expect(h).not.toMatch(/"d"\s*:/);
    for (const line of [...keyBase64, ...encBase64]) expect(h).not.toContain(line.slice(0, 40));
  }
  // Only the app's own files were requested, all from this origin.
  for (const r of requests) expect(new URL(r.url).origin).toBe(new URL(page.url()).origin);
});

test('a CSR loaded in Inspect is signed by a CA made in the workshop', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs').fill(readFileSync(new URL('../../data/csr/rsa.csr.pem', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Load pasted text' }).click();
  await page.getByRole('button', { name: 'Sign CSR 1 in Keys & certificates' }).click();
  await expect(page.getByRole('link', { name: 'Keys & certificates' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('…or the CSR to certify (PEM)')).toHaveValue(/BEGIN CERTIFICATE REQUEST/);

  // A CA from a fresh key: the CSR field must be empty while the CA itself is made.
  const csr = await page.getByLabel('…or the CSR to certify (PEM)').inputValue();
  await page.getByLabel('…or the CSR to certify (PEM)').fill('');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await page.getByLabel('Subject key').selectOption({ label: 'Key 1 (P-256)' });
  await page.getByLabel('Certificate common name (CN)').fill('Handoff CA');
  await page.getByLabel('Certificate authority (CA)').check();
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  await expect(page.getByTestId('workshop-status')).toContainText('Certificate issued.');

  await page.getByLabel('…or the CSR to certify (PEM)').fill(csr);
  await page.getByLabel('Certificate authority (CA)').uncheck();
  await page.getByLabel('Issuing CA').selectOption({ label: 'Handoff CA (root)' });
  // Validity by dates this time.
  await page.getByLabel('Valid until (UTC date; empty: by days)').fill('2030-06-30');
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  const issued = await page.getByLabel('certificate', { exact: true }).inputValue();
  // Back in Inspect, the new certificate carries the CSR's subject and SANs, issued by the CA.
  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.getByLabel('Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs').fill(issued);
  await page.getByRole('button', { name: 'Load pasted text' }).click();
  await page.getByRole('button', { name: 'Show details of certificate 1' }).click();
  await expect(page.getByTestId('subject-dn')).toHaveText('CN=csr.example.com,O=Example,C=US');
  await expect(page.getByTestId('detail')).toContainText('DNS:csr.example.com');
  await expect(page.getByTestId('detail')).toContainText('CN=Handoff CA');
  await expect(page.getByTestId('detail')).toContainText('2030-06-30T00:00:00Z');
});
