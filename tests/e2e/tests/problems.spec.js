import { test, expect } from '@playwright/test';
import { InspectPage, readVector } from './fixtures/inspect-page.js';

test('a malformed block is reported with its position while the rest load', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(readVector('pem/malformed-middle.pem').toString());
  await expect(ui.count).toHaveText('2');
  await expect(ui.problems).toContainText('pasted text, block 2 (line 22)');
  await expect(ui.problems).toContainText('not a valid X.509 certificate: expected a SEQUENCE but found an INTEGER');
});

test('non-conformant certificates load with a warning on their row', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(readVector('odd/long-serial.pem').toString() + readVector('odd/pre1970.pem').toString());
  await expect(ui.count).toHaveText('2');
  await expect(ui.rows.nth(0)).toContainText('25 octets long');
  await expect(ui.rows.nth(1)).toContainText('before 1970');
});

test('a certificate subject containing HTML renders as text', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(readVector('xss/xss-subject.pem').toString());
  await expect(ui.count).toHaveText('1');
  await expect(ui.rows.nth(0)).toContainText('<img src=x onerror=alert(1)>');
  await expect(ui.detail).toContainText('<script>alert(2)</script>');
  await expect(page.locator('main img')).toHaveCount(0);
  await expect(page.locator('main script')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('the Content-Security-Policy allows the app and nothing else inline', async ({ page }) => {
  const violations = [];
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const ui = new InspectPage(page);
  await ui.goto();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'none'");
  expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+';/);
  expect(csp).not.toContain('unsafe-inline');
  await ui.pasteText(readVector('chain/bundle-shuffled.pem').toString());
  await expect(ui.count).toHaveText('4');
  // An injected inline script is refused by the policy.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
  });
  expect(await page.evaluate(() => window.__injected)).toBeUndefined();
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations.every((v) => v.startsWith('script-src'))).toBe(true);
});
