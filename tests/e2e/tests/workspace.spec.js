import { test, expect } from '@playwright/test';

test('keys saved to the workspace are encrypted in IndexedDB and survive a reload', async ({ page }) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url() + (r.postData() ?? '') + JSON.stringify(r.headers())));
  await page.goto('/');
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  const status = page.getByTestId('workshop-status');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 1 (P-256) is ready');
  const spki = await page.getByTestId('key-row').first().locator('td.mono').textContent();

  await page.getByLabel('Key to save').selectOption({ label: 'Key 1 (P-256)' });
  const save = page.getByRole('button', { name: 'Save to workspace' });
  await page.getByLabel('Workspace passphrase').fill('short');
  await expect(save).toBeDisabled();
  await page.getByLabel('Workspace passphrase').fill('a long workspace passphrase');
  await save.click();
  await expect(status).toContainText('saved to this browser\'s workspace, encrypted');
  await expect(page.getByTestId('saved-row')).toHaveCount(1);

  // What IndexedDB holds: metadata and ciphertext, never the key or the passphrase.
  const stored = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('certwright');
    open.onsuccess = () => {
      const req = open.result.transaction('keys').objectStore('keys').getAll();
      req.onsuccess = () => resolve(JSON.stringify(req.result));
      req.onerror = reject;
    };
    open.onerror = reject;
  }));
  expect(stored).toContain('ciphertext');
  expect(stored).not.toContain('PRIVATE KEY');
  expect(stored).not.toContain('a long workspace passphrase');
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);

  // Reload: the in-memory key is gone, the saved one is listed and loads with its passphrase.
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(0);
  await expect(page.getByTestId('saved-row')).toHaveCount(1);
  await page.getByLabel('Workspace passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Load Key 1 (P-256)' }).click();
  await expect(status).toContainText('wrong workspace passphrase');
  await page.getByLabel('Workspace passphrase').fill('a long workspace passphrase');
  await page.getByRole('button', { name: 'Load Key 1 (P-256)' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row')).toContainText('workspace');
  await expect(page.getByTestId('key-row').first().locator('td.mono')).toHaveText(spki);

  await page.getByRole('button', { name: 'Delete Key 1 (P-256) from the workspace' }).click();
  await expect(page.getByTestId('saved-row')).toHaveCount(0);
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await expect(page.getByTestId('saved-row')).toHaveCount(0);
  // Saving and loading sent nothing anywhere: only the app's own files were fetched.
  for (const r of requests) {
    expect(r).not.toContain('workspace passphrase');
    expect(r).not.toContain('ciphertext');
    expect(new URL(r.split(/[{]/)[0].trim()).origin).toBe(new URL(page.url()).origin);
  }
});
