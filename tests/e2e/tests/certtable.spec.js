// The app has ONE certificate table (src/ui/certtable.rs): Inspect and the vendor pages render the
// same component, with the same columns and cells, and the same certificate shows the same facts on
// both. From 200 rows on it is windowed (only the rows in view are in the DOM) and stays keyboard
// usable and axe-clean. Runs offline: the CA-sets page works on its offline workspace.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { InspectPage, readVector } from './fixtures/inspect-page.js';
import { createSet, createVersion } from './fixtures/casets-page.js';

const ROOT = readVector('chain/root.pem').toString();
const CA_A = readVector('vendors/akamai/ca-a.pem').toString();
const LEAF = readVector('chain/leaf.pem').toString();

/** The table's column headers, the `data-label`s of its first row, and that row's text by column. */
async function shape(table) {
  const headers = await table.locator('thead th').allTextContents();
  const row = table.getByTestId('cert-row').first();
  const labels = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.dataset.label));
  const cells = Object.fromEntries(await row.locator('td').evaluateAll((tds) => tds.map((td) => [td.dataset.label, td.textContent])));
  return { headers, labels, cells };
}

test('Inspect and a vendor page render the same certificate table', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(ROOT + CA_A);
  await expect(ui.count).toHaveText('2');
  const inspect = ui.table;
  await expect(inspect).toHaveClass(/(^| )cert-table( |$)/);
  await expect(inspect).not.toHaveClass(/windowed/);
  await expect(page.getByRole('region', { name: 'Loaded certificates (scrollable)' }).getByRole('table')).toHaveCount(1);
  const a = await shape(inspect);
  expect(a.headers).toEqual(['#', 'Name', 'Issuer', 'Expires', 'Key', 'SHA-256', 'Role', 'Findings']);
  expect(a.labels).toEqual(['#', 'Name', 'Issuer', 'Expires', 'Key', 'SHA-256', 'Role', 'Findings']);
  expect(a.cells.Role).toBe('root');
  expect(a.cells['SHA-256']).toMatch(/^[0-9a-f]{64}$/);

  await page.getByRole('link', { name: 'CA sets' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('Offline workspace loaded.');
  await createSet(page, 'one-table');
  await createVersion(page, ROOT + CA_A, 'Version 1 created with 2 certificates.');
  const vendor = page.getByRole('table', { name: 'Certificates of version 1' });
  await expect(vendor).toHaveClass(/(^| )cert-table( |$)/);
  await expect(vendor.getByTestId('cert-row')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Certificates of version 1 (scrollable)' }).getByRole('table')).toHaveCount(1);
  const b = await shape(vendor);
  // The same columns, the vendor's own column in the place of Inspect's role.
  expect(b.headers).toEqual(['#', 'Name', 'Issuer', 'Expires', 'Key', 'SHA-256', 'Signature', 'Findings']);
  expect(b.labels).toEqual(b.headers);
  // The same certificate, the same facts.
  for (const column of ['#', 'Issuer', 'Expires', 'Key', 'SHA-256']) expect(b.cells[column], column).toBe(a.cells[column]);
  for (const t of [a, b]) expect(t.cells.Name).toContain('Certwright Test Root CA');
});

test('from 200 rows Inspect windows the table; the keyboard reaches and opens the last row; axe is clean', async ({ page }) => {
  const N = 250;
  const ui = new InspectPage(page);
  await ui.goto();
  // About 300 kB: under the worker's threshold, so this is the main-thread path (the worker's is
  // in worker.spec.js).
  await ui.paste.evaluate((el, text) => {
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, LEAF.repeat(N));
  await ui.loadPasted.click();
  await expect(ui.count).toHaveText(String(N));
  await expect(ui.table).toHaveClass(/(^| )cert-table( |$)/);
  await expect(ui.table).toHaveClass(/(^| )windowed( |$)/);
  await expect(ui.table).toHaveAttribute('aria-rowcount', String(N + 1));
  const rendered = await ui.rows.count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(60);
  await expect(ui.rows.first()).toHaveAttribute('aria-rowindex', '2');
  // One line per row, as high as the windowing assumes (ROW_HEIGHT).
  const heights = await ui.rows.evaluateAll((rows) => rows.map((r) => Math.round(r.getBoundingClientRect().height)));
  expect(new Set(heights)).toEqual(new Set([34]));

  // Keyboard only: the scroll box takes focus, End scrolls it to the bottom, the last row's button
  // opens the detail, and that row is marked as the one shown.
  const region = page.getByRole('region', { name: 'Loaded certificates (scrollable)' });
  await region.focus();
  await page.keyboard.press('End');
  const last = page.getByRole('button', { name: `Show details of certificate ${N}` });
  await expect(last).toBeVisible();
  await expect(page.locator(`tr[aria-rowindex="${N + 1}"]`)).toHaveCount(1);
  await last.focus();
  await page.keyboard.press('Enter');
  await expect(ui.detail).toBeVisible();
  await expect(ui.detail.getByRole('heading', { level: 2 })).toContainText(`Certificate ${N}:`);
  await expect(page).toHaveURL(new RegExp(`/inspect/certificates/${N}$`));
  await expect(ui.rows.filter({ has: last })).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('tr[aria-current="true"]')).toHaveCount(1);

  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});
