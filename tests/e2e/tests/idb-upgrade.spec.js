// The one IndexedDB schema: a database written in the format of the release before it (the
// `certwright` database at version 2, stores `keys` and `casets`, the Akamai workspace as JSON
// text under `casets/akamai`) is upgraded in place, and the saved key and the CA sets are found.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const data = (rel) => readFileSync(fileURLToPath(new URL(`../../data/${rel}`, import.meta.url)), 'utf8');
const CA_A = data('vendors/akamai/ca-a.pem');
const PASS = 'a long workspace passphrase';

test('a version-2 database (key vault + Akamai workspace) survives the upgrade', async ({ page }) => {
  // Records as the code writes them (the vault's format-2 record, the workspace's JSON text).
  await page.goto('/keys');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  const spki = await page.getByTestId('key-row').first().locator('td.mono').textContent();
  await page.getByLabel('Key to save').selectOption({ label: 'Key 1 (P-256)' });
  await page.getByLabel('Workspace passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Save to workspace' }).click();
  await expect(page.getByTestId('saved-row')).toHaveCount(1);
  await page.getByRole('link', { name: 'CA sets' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('Offline workspace loaded.');
  await page.getByLabel('New CA set name').fill('kept-set');
  await page.getByRole('button', { name: 'Create CA set' }).click();
  await page.getByLabel('Version certificates (PEM)').fill(CA_A);
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('Version 1 created with 1 certificates.');
  const records = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('certwright');
    open.onerror = reject;
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['keys', 'akamai']);
      const out = {};
      const keys = tx.objectStore('keys').getAllKeys();
      const values = tx.objectStore('keys').getAll();
      const workspace = tx.objectStore('akamai').get('akamai');
      tx.oncomplete = () => {
        out.keys = keys.result.map((k, i) => [k, values.result[i]]);
        out.workspace = workspace.result;
        db.close();
        resolve(out);
      };
    };
  }));
  expect(records.keys).toHaveLength(1);
  expect(typeof records.workspace).toBe('string');
  expect(records.workspace).toContain('kept-set');

  // Leave the app (its connections close), and write the old database with raw IndexedDB calls.
  await page.goto('/favicon.svg');
  await page.evaluate((records) => new Promise((resolve, reject) => {
    const del = indexedDB.deleteDatabase('certwright');
    del.onblocked = () => reject(new Error('blocked'));
    del.onerror = reject;
    del.onsuccess = () => {
      const open = indexedDB.open('certwright', 2);
      open.onupgradeneeded = () => {
        open.result.createObjectStore('keys');
        open.result.createObjectStore('casets');
      };
      open.onerror = reject;
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(['keys', 'casets'], 'readwrite');
        for (const [k, v] of records.keys) tx.objectStore('keys').put(v, k);
        tx.objectStore('casets').put(records.workspace, 'akamai');
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = reject;
      };
    };
  }), records);

  // The new code opens it: the saved key loads with its passphrase, the CA set is there.
  await page.goto('/keys');
  await expect(page.getByTestId('saved-row')).toHaveCount(1);
  await page.getByLabel('Workspace passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Load Key 1 (P-256)' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row').first().locator('td.mono')).toHaveText(spki);
  await page.getByRole('link', { name: 'CA sets' }).click();
  await page.getByRole('table', { name: 'CA sets' }).getByRole('link', { name: 'kept-set' }).click();
  await page.getByRole('link', { name: 'Version 1', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Certificates of version 1' }).locator('tbody tr')).toHaveCount(1);

  // The schema now: version 4, one store per vendor workspace, the vault and saved vendor secrets, no `casets`.
  const schema = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('certwright');
    open.onerror = reject;
    open.onsuccess = () => {
      const db = open.result;
      const out = { version: db.version, stores: [...db.objectStoreNames].sort() };
      db.close();
      resolve(out);
    };
  }));
  expect(schema).toEqual({ version: 4, stores: ['akamai', 'keys', 'secrets'] });
});

test('a new database gets the whole schema, and version 1 (the vault alone) upgrades too', async ({ page }) => {
  await page.goto('/favicon.svg');
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('certwright', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('keys');
    open.onerror = reject;
    open.onsuccess = () => { open.result.close(); resolve(); };
  }));
  await page.goto('/akamai/ca-sets');
  await expect(page.getByTestId('casets-status')).toHaveText('Offline workspace loaded.');
  await page.getByLabel('New CA set name').fill('fresh-set');
  await page.getByRole('button', { name: 'Create CA set' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('CA set fresh-set created.');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'CA set fresh-set' })).toBeVisible();
});
