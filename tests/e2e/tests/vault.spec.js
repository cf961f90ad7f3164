// The key vault's integrity: a record's id and public-key hash are bound to its ciphertext
// (AES-GCM associated data, format 2), the decrypted key must match the record's public-key
// hash, records of the first format (no associated data) still load and are upgraded, and the
// passphrase field is emptied after every save and load.
import { test, expect } from '@playwright/test';
import { generateKeyPairSync, createHash } from 'node:crypto';

const PASS = 'a long workspace passphrase';

/** Every record of the `keys` store, as stored. */
const records = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('certwright');
  open.onsuccess = () => {
    const req = open.result.transaction('keys').objectStore('keys').getAll();
    req.onsuccess = () => { open.result.close(); resolve(req.result); };
    req.onerror = reject;
  };
  open.onerror = reject;
}));

/** Replaces the `keys` store's content with `list` (each saved under its `id`). */
const rewrite = (page, list) => page.evaluate((list) => new Promise((resolve, reject) => {
  const open = indexedDB.open('certwright');
  open.onsuccess = () => {
    const tx = open.result.transaction('keys', 'readwrite');
    const store = tx.objectStore('keys');
    store.clear();
    for (const r of list) store.put(r, r.id);
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = reject;
  };
  open.onerror = reject;
}), list);

async function openWorkshop(page) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  // The app has created its database (and the `keys` store) before the test touches it.
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === 'certwright' && d.version >= 2))).toBe(true);
}

async function saveKey(page, label) {
  await page.getByLabel('Key to save').selectOption({ label });
  await page.getByLabel('Workspace passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Save to workspace' }).click();
  await expect(page.getByTestId('workshop-status')).toContainText(`${label} saved to this browser's workspace, encrypted`);
  await expect(page.getByLabel('Workspace passphrase')).toHaveValue('');
}

async function load(page, label) {
  await page.getByLabel('Workspace passphrase').fill(PASS);
  await page.getByRole('button', { name: `Load ${label}` }).click();
}

test('a record whose ciphertext, id or format was changed is refused; the passphrase field is emptied', async ({ page }) => {
  await openWorkshop(page);
  const status = page.getByTestId('workshop-status');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 1 (P-256) is ready');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 2 (P-256) is ready');
  await saveKey(page, 'Key 1 (P-256)');
  await saveKey(page, 'Key 2 (P-256)');
  await expect(page.getByTestId('saved-row')).toHaveCount(2);
  const saved = await records(page);
  expect(saved.map((r) => r.v)).toEqual([2, 2]);
  const [a, b] = saved.sort((x, y) => x.savedAt - y.savedAt);

  // Swap the two records' encrypted parts: each record now holds the other key's ciphertext.
  const swap = (r, from) => ({ ...r, salt: from.salt, iv: from.iv, ciphertext: from.ciphertext });
  await rewrite(page, [swap(a, b), swap(b, a)]);
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await load(page, 'Key 1 (P-256)');
  await expect(status).toContainText('Loading Key 1 (P-256) failed: wrong workspace passphrase, or the saved record was altered');
  await expect(page.getByLabel('Workspace passphrase')).toHaveValue('');
  await expect(page.getByTestId('key-row')).toHaveCount(0);

  // The same record under another id: refused too.
  await rewrite(page, [{ ...a, id: `${a.id}-copy` }]);
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await load(page, 'Key 1 (P-256)');
  await expect(status).toContainText('Loading Key 1 (P-256) failed: wrong workspace passphrase, or the saved record was altered');

  // Claiming the first format (no associated data) does not get round it.
  await rewrite(page, [{ ...a, v: 1 }]);
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await load(page, 'Key 1 (P-256)');
  await expect(status).toContainText('Loading Key 1 (P-256) failed: wrong workspace passphrase');
  await expect(page.getByTestId('key-row')).toHaveCount(0);

  // The untouched record loads, and the field is emptied after the load too.
  await rewrite(page, [a]);
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await load(page, 'Key 1 (P-256)');
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row').first().locator('td.mono')).toHaveText(`${a.spkiSha256.slice(0, 16)}…`);
  await expect(page.getByLabel('Workspace passphrase')).toHaveValue('');
});

/** A record of the first format (before associated data), as the previous release wrote it. */
async function v1Record(page, id, label, pkcs8, spkiSha256) {
  return page.evaluate(async ({ id, label, pkcs8, spkiSha256, pass }) => {
    const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(pass), { name: 'PBKDF2' }, false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations: 600000, hash: 'SHA-256' }, base,
      { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const der = Uint8Array.from(atob(pkcs8), (c) => c.charCodeAt(0));
    const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, der);
    return { id, label, spkiSha256, savedAt: Date.now(), salt: b64(salt), iv: b64(iv), ciphertext: b64(ciphertext), iterations: 600000 };
  }, { id, label, pkcs8, spkiSha256, pass: PASS });
}

function nodeKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    spkiSha256: createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
  };
}

test('records of the first format still load, are upgraded, and are checked against their public-key hash', async ({ page }) => {
  await openWorkshop(page);
  const status = page.getByTestId('workshop-status');
  await expect(page.getByTestId('saved-row')).toHaveCount(0);
  const k1 = nodeKey();
  const k2 = nodeKey();
  const old1 = await v1Record(page, `${k1.spkiSha256.slice(0, 16)}-1`, 'Old key one', k1.pkcs8, k1.spkiSha256);
  const old2 = await v1Record(page, `${k2.spkiSha256.slice(0, 16)}-2`, 'Old key two', k2.pkcs8, k2.spkiSha256);
  expect(old1.v).toBeUndefined();

  // Two first-format records with their ciphertexts swapped decrypt (nothing binds them), but
  // the decrypted key is not the one whose public-key hash the record lists: refused.
  await rewrite(page, [{ ...old1, ciphertext: old2.ciphertext, iv: old2.iv, salt: old2.salt }]);
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await load(page, 'Old key one');
  await expect(status).toContainText('Loading Old key one failed: the saved record was altered: the decrypted key is not the key');
  await expect(page.getByTestId('key-row')).toHaveCount(0);

  // The genuine first-format record loads as the key it names, and is re-saved as format 2.
  await rewrite(page, [old1]);
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await load(page, 'Old key one');
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row').first().locator('td.mono')).toHaveText(`${k1.spkiSha256.slice(0, 16)}…`);
  await expect.poll(async () => (await records(page)).map((r) => r.v)).toEqual([2]);
  const [upgraded] = await records(page);
  expect(upgraded.id).toBe(old1.id);
  expect(upgraded.label).toBe(old1.label);
  expect(upgraded.ciphertext).not.toBe(old1.ciphertext);

  // The upgraded record loads after a reload.
  await page.reload();
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await load(page, 'Old key one');
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row').first().locator('td.mono')).toHaveText(`${k1.spkiSha256.slice(0, 16)}…`);
});
