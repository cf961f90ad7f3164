// axe-core on every page of the app, in light and dark mode, at 1280x800 and on a narrow 390x844
// screen: zero violations. The pages come from the navigation, so a vendor page registered in
// PAGES is covered without touching this file; the pages with objects are checked with objects
// open (Inspect with a bundle and a detail, CA sets with a set and a version).
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSet, createVersion } from './fixtures/casets-page.js';

const data = (rel) => readFileSync(fileURLToPath(new URL(`../../data/${rel}`, import.meta.url)), 'utf8');
const CA_A = data('vendors/akamai/ca-a.pem');
const ROOT = data('chain/root.pem');
const EXPIRED = data('vendors/akamai/expired-ca.pem');

/** What to do on a page before axe looks at it (by path); other pages are checked as they open. */
const PREPARE = {
  '/inspect': async (page) => {
    await page.getByLabel('Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs').fill(CA_A + ROOT + data('csr/rsa.csr.pem'));
    await page.getByRole('button', { name: 'Load pasted text' }).click();
    await page.getByRole('button', { name: 'Show details of certificate 2' }).click();
    await expect(page.getByTestId('detail')).toBeVisible();
  },
  '/keys': async (page) => {
    await page.getByRole('button', { name: 'Generate key' }).click();
    await expect(page.getByTestId('key-row')).toHaveCount(1);
  },
  '/akamai/ca-sets': async (page) => {
    await expect(page.getByTestId('casets-status')).toHaveText('Offline workspace loaded.');
    await createSet(page, 'axe-set');
    await createVersion(page, CA_A + ROOT, 'Version 1 created with 2 certificates.');
    // A local check with findings on its rows, and a failure panel.
    await page.getByLabel('Version certificates (PEM)').fill(ROOT + EXPIRED);
    await page.getByRole('button', { name: 'Create version' }).click();
    await expect(page.getByTestId('casets-failure')).toBeVisible();
    await page.getByText('Compare two versions').click();
    await page.getByText('Activity log').click();
  },
};

async function check(page, what) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`).join('\n'));
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

for (const scheme of ['light', 'dark']) {
  for (const [w, h] of [[1280, 800], [390, 844]]) {
    test(`every page is axe-clean: ${scheme}, ${w}x${h}`, async ({ page }) => {
      test.setTimeout(240_000);
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/');
      await check(page, 'the home page');
      const nav = page.getByRole('navigation', { name: 'Pages' }).getByRole('link');
      const links = await nav.evaluateAll((as) => as.map((a) => ({ name: a.textContent.trim(), path: new URL(a.href).pathname })));
      expect(links.length).toBeGreaterThanOrEqual(3);
      for (const { name, path } of links) {
        await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
        await expect(page).toHaveURL(new RegExp(`^[^?]*${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        await check(page, `${path} as it opens`);
        if (PREPARE[path]) {
          await PREPARE[path](page);
          await check(page, `${path} with objects open`);
        }
      }
      // The CA-sets page with a version open, by its URL, and the page that does not exist.
      await page.goto('/akamai/ca-sets');
      await page.getByRole('table', { name: 'CA sets' }).getByRole('link', { name: 'axe-set' }).click();
      await page.getByRole('link', { name: 'Version 1', exact: true }).click();
      await expect(page.getByRole('table', { name: 'Certificates of version 1' })).toBeVisible();
      await check(page, 'a CA-set version');
      await page.goto('/akamai/ca-sets?source=akamai');
      await expect(page.getByLabel('EdgeGrid credentials (.edgerc text)')).toBeVisible();
      await check(page, 'the Akamai connect form');
      await page.goto('/no/such/page');
      await check(page, 'an unknown path');
    });
  }
}
