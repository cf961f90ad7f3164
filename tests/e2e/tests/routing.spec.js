// URLs for every page and object: deep links, back / forward, reload, unknown paths, and pages
// that mount on their first visit only.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { casetsStatus, createSet, createVersion } from './fixtures/casets-page.js';

const data = (rel) => readFileSync(fileURLToPath(new URL(`../../data/${rel}`, import.meta.url)), 'utf8');
const EDGERC = data('vendors/akamai/emulator.edgerc');
const CA_A = data('vendors/akamai/ca-a.pem');
const CA_B = data('vendors/akamai/ca-b.pem');
const ROOT = data('chain/root.pem');
const EMULATOR = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}/__emulator`;

const status = casetsStatus;
const path = (page) => new URL(page.url()).pathname + new URL(page.url()).search;

test('offline CA sets: every set and version has a URL; back, forward and reload land on the same view', async ({ page }) => {
  await page.goto('/akamai/ca-sets');
  await expect(page.getByRole('link', { name: 'CA sets' })).toHaveAttribute('aria-current', 'page');
  await expect(status(page)).toHaveText('Offline workspace loaded.');
  await createSet(page, 'routed-set');
  await expect(page).toHaveURL(/\/akamai\/ca-sets\/[^/]+$/);
  const setUrl = path(page);
  await createVersion(page, [CA_A, ROOT], 'Version 1 created with 2 certificates.');
  await expect(page).toHaveURL(`${setUrl}/versions/1`);
  await createVersion(page, [CA_B], 'Version 2 created with 1 certificates.');
  await expect(page).toHaveURL(`${setUrl}/versions/2`);
  const versionHeading = (n) => page.getByRole('heading', { name: new RegExp(`^Version ${n}`) });
  await expect(versionHeading(2)).toBeVisible();

  // Opening a version is a link: it navigates.
  await page.getByRole('link', { name: 'Version 1', exact: true }).click();
  await expect(page).toHaveURL(`${setUrl}/versions/1`);
  await expect(page.getByRole('table', { name: 'Certificates of version 1' }).locator('tbody tr')).toHaveCount(2);

  // Back and forward.
  await page.goBack();
  await expect(page).toHaveURL(`${setUrl}/versions/2`);
  await expect(page.getByRole('table', { name: 'Certificates of version 2' }).locator('tbody tr')).toHaveCount(1);
  await page.goForward();
  await expect(page.getByRole('table', { name: 'Certificates of version 1' })).toBeVisible();
  await page.getByRole('link', { name: 'Inspect' }).click();
  await expect(page).toHaveURL('/inspect');
  await page.goBack();
  await expect(page.getByRole('table', { name: 'Certificates of version 1' })).toBeVisible();

  // Reload: the offline workspace loads straight away and shows the same version.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'CA set routed-set' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Certificates of version 1' }).locator('tbody tr')).toHaveCount(2);

  // A deep link in a fresh tab.
  const other = await page.context().newPage();
  await other.goto(`${setUrl}/versions/2`);
  await expect(other.getByRole('table', { name: 'Certificates of version 2' }).locator('tbody tr')).toHaveCount(1);
  // The set alone: no version open.
  await other.goto(setUrl);
  await expect(other.getByRole('heading', { name: 'CA set routed-set' })).toBeVisible();
  await expect(other.getByRole('table', { name: /^Certificates of version/ })).toHaveCount(0);
  // The list.
  await other.goto('/akamai/ca-sets');
  await expect(other.getByRole('table', { name: 'CA sets' }).getByRole('link', { name: 'routed-set' })).toBeVisible();
  await expect(other.getByRole('heading', { name: 'CA set routed-set' })).toHaveCount(0);
  await other.close();
});

test('Akamai CA sets: after a reload the connect form shows, and connecting lands on the object of the URL', async ({ page, request }) => {
  expect((await request.post(`${EMULATOR}/reset`, { data: {} })).ok()).toBeTruthy();
  await page.goto('/akamai/ca-sets');
  await page.getByLabel('Akamai, through the relay').check();
  await expect(page).toHaveURL('/akamai/ca-sets?source=akamai');
  await page.getByLabel('EdgeGrid credentials (.edgerc text)').fill(EDGERC);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(status(page)).toHaveText('Connected; CA sets listed.');
  await createSet(page, 'remote-routed');
  await createVersion(page, [CA_A], 'Version 1 created with 1 certificates.');
  await expect(page).toHaveURL(/\/akamai\/ca-sets\/[^/]+\/versions\/1\?source=akamai$/);
  const url = path(page);

  await page.reload();
  // The credentials are gone with the reload: the connect form, and nothing listed yet.
  await expect(page.getByLabel('Akamai, through the relay')).toBeChecked();
  await expect(page.getByLabel('EdgeGrid credentials (.edgerc text)')).toBeVisible();
  await page.getByLabel('EdgeGrid credentials (.edgerc text)').fill(EDGERC);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('table', { name: 'Certificates of version 1' }).locator('tbody tr')).toHaveCount(1);
  expect(path(page)).toBe(url);
  // Back to the offline workspace: its URL has no source.
  await page.getByLabel('This browser (offline workspace)').check();
  await expect(page).toHaveURL('/akamai/ca-sets');
  await page.goBack();
  await expect(page).toHaveURL(url);
  await expect(page.getByLabel('Akamai, through the relay')).toBeChecked();
});

test('Inspect: a certificate detail has a URL; after a reload it says that nothing is loaded', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL('/inspect');
  await page.getByLabel('Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs').fill(CA_A + CA_B + ROOT);
  await page.getByRole('button', { name: 'Load pasted text' }).click();
  await expect(page).toHaveURL('/inspect/certificates/1');
  await page.getByRole('button', { name: 'Show details of certificate 3' }).click();
  await expect(page).toHaveURL('/inspect/certificates/3');
  const subject3 = await page.getByTestId('subject-dn').textContent();
  await page.getByRole('button', { name: 'Show details of certificate 2' }).click();
  const subject2 = await page.getByTestId('subject-dn').textContent();
  expect(subject2).not.toBe(subject3);
  await page.goBack();
  await expect(page).toHaveURL('/inspect/certificates/3');
  await expect(page.getByTestId('subject-dn')).toHaveText(subject3);
  await page.goForward();
  await expect(page.getByTestId('subject-dn')).toHaveText(subject2);

  await page.reload();
  await expect(page.getByTestId('url-missing')).toHaveText(/Certificate 2 is not loaded/);
  await expect(page.getByTestId('detail')).toHaveCount(0);
  // Loading the bundle again shows the certificate the URL names.
  await page.getByLabel('Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs').fill(CA_A + CA_B + ROOT);
  await page.getByRole('button', { name: 'Load pasted text' }).click();
  await expect(page.getByTestId('subject-dn')).toHaveText(subject2);
  await expect(page.getByTestId('url-missing')).toHaveCount(0);
});

test('an unknown path says "No such page" and links home', async ({ page }) => {
  await page.goto('/no/such/thing');
  await expect(page.getByRole('heading', { name: 'No such page' })).toBeVisible();
  await expect(page.getByText('Nothing in certwright lives at /no/such/thing.')).toBeVisible();
  await page.getByRole('link', { name: 'Go to Inspect' }).click();
  await expect(page).toHaveURL('/inspect');
  await expect(page.getByRole('heading', { name: 'No such page' })).toHaveCount(0);
  // Under a page's prefix, an object path the page does not know is not a blank page either.
  await page.goto('/keys');
  await expect(page.getByRole('heading', { name: 'No such page' })).toHaveCount(0);
});

test('a page mounts on its first visit: the CA-sets page opens no IndexedDB and calls no relay before', async ({ page }) => {
  const relayed = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/relay/')) relayed.push(r.url()); });
  // IndexedDB opens are counted from the first script on.
  await page.addInitScript(() => {
    window.__idbOpens = [];
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (...args) { window.__idbOpens.push(String(args[0])); return open.apply(this, args); };
  });
  await page.goto('/inspect');
  await expect(page.getByRole('button', { name: 'Load pasted text' })).toBeVisible();
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.__idbOpens)).toEqual([]);
  expect(relayed).toEqual([]);
  // Not in the DOM at all, not merely hidden.
  await expect(page.locator('#casets-heading')).toHaveCount(0);
  await expect(page.getByLabel('Akamai, through the relay')).toHaveCount(0);

  await page.getByRole('link', { name: 'CA sets' }).click();
  await expect(status(page)).toHaveText('Offline workspace loaded.');
  expect(await page.evaluate(() => window.__idbOpens.length)).toBeGreaterThan(0);
  // Leaving keeps it mounted (hidden), so work is not lost.
  await page.getByLabel('New CA set name').fill('kept while away');
  await page.getByRole('link', { name: 'Inspect' }).click();
  await expect(page.getByLabel('New CA set name')).toBeHidden();
  await page.getByRole('link', { name: 'CA sets' }).click();
  await expect(page.getByLabel('New CA set name')).toHaveValue('kept while away');
});

test('the first page loads only the shell module; the other pages load once, on first use', async ({ page }) => {
  const wasm = [];
  const encodings = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) encodings.push(r.headers()['content-encoding']); });
  await page.goto('/inspect');
  await expect(page.getByRole('button', { name: 'Load pasted text' })).toBeVisible();
  await page.waitForTimeout(300);
  expect(wasm).toHaveLength(1);
  expect(wasm[0]).toMatch(/^\/certwright-app-[0-9a-f]+_bg\.wasm$/);
  // The relay sends the build's gzip twin (scripts/csp-hashes.py writes it).
  expect(encodings).toEqual(['gzip']);
  await expect(page.locator('#more-pages')).toBeEmpty();

  await page.getByRole('link', { name: 'OpenAI' }).click();
  await expect(page.getByRole('heading', { name: 'OpenAI', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: 'Segura' }).click();
  await expect(page).toHaveURL(/\/segura/);
  await page.getByRole('link', { name: 'Inspect' }).click();
  await expect(page.getByRole('button', { name: 'Load pasted text' })).toBeVisible();
  await page.getByRole('link', { name: 'MATTR' }).click();
  await expect(page).toHaveURL('/mattr');
  // One module for every other page, fetched once; back and forward move between the modules.
  expect(wasm.filter((p) => p === '/certwright-pages_bg.wasm')).toHaveLength(1);
  await page.goBack();
  await expect(page.getByRole('button', { name: 'Load pasted text' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/segura/);
  await expect(page.getByRole('button', { name: 'Load pasted text' })).toBeHidden();
});

test('a page whose module does not load says so, and "Try again" loads it', async ({ page }) => {
  let fail = true;
  let tries = 0;
  await page.route('**/certwright-pages_bg.wasm', (route) => {
    tries += 1;
    return fail ? route.fulfill({ status: 503, body: 'down' }) : route.continue();
  });
  await page.goto('/keys');
  const alert = page.getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('certwright-pages_bg.wasm');
  // The shell still works.
  await page.getByRole('link', { name: 'Inspect' }).click();
  await expect(page.getByRole('button', { name: 'Load pasted text' })).toBeVisible();
  // Coming back tries again by itself (and fails again here).
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await expect.poll(() => tries).toBe(2);
  await expect(alert).toBeVisible();
  fail = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('button', { name: 'Generate key' })).toBeVisible();
  await expect(alert).toHaveCount(0);
});
