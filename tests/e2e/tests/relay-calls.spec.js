// How the app calls the relay: every call carries `X-Certwright-Relay: 1` (the relay's guard
// against cross-site use), and a redirect is an error, never followed, so a 307 cannot carry the
// EdgeGrid `Authorization` header to another host (or another path) behind the relay.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const EDGERC = readFileSync(fileURLToPath(new URL('../../data/vendors/akamai/emulator.edgerc', import.meta.url)), 'utf8');
const EMULATOR = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}/__emulator`;

test('every relayed call carries X-Certwright-Relay; a 307 from upstream is refused, not followed', async ({ page, request }) => {
  expect((await request.post(`${EMULATOR}/reset`, { data: {} })).ok()).toBeTruthy();
  const relayed = [];
  page.on('request', async (r) => {
    if (new URL(r.url()).pathname.startsWith('/relay/')) relayed.push({ url: r.url(), method: r.method(), headers: await r.allHeaders() });
  });
  // The set creation is answered with a redirect to another API path; what follows it is recorded.
  await page.route('**/relay/emulator.akamai.test/mtls-edge-truststore/v2/ca-sets', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await route.fulfill({ status: 307, headers: { Location: '/relay/emulator.akamai.test/elsewhere/steal?x=1' }, body: '' });
  });

  await page.goto('/');
  await page.getByRole('link', { name: 'CA sets' }).click();
  await page.getByLabel('Akamai, through the relay').check();
  await expect(page.getByTestId('relay-hosts')).toHaveText(/^This server's relay forwards to: (.+, )?emulator\.akamai\.test(, .+)?\.$/);
  await page.getByLabel('EdgeGrid credentials (.edgerc text)').fill(EDGERC);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('Connected; CA sets listed.');

  await page.getByLabel('New CA set name').fill('redirected-set');
  await page.getByRole('button', { name: 'Create CA set' }).click();
  await expect(page.getByTestId('casets-failure')).toContainText('redirect, which is never followed');
  await page.waitForTimeout(500);

  // The redirect target was never requested, so the signed Authorization header went nowhere else.
  expect(relayed.filter((r) => r.url.includes('/elsewhere/'))).toEqual([]);
  // The host probe (GET /relay/), the listing and the refused POST all carried the header.
  expect(relayed.some((r) => r.url.endsWith('/relay/'))).toBeTruthy();
  expect(relayed.some((r) => r.method === 'POST')).toBeTruthy();
  for (const r of relayed) expect(r.headers['x-certwright-relay'], r.url).toBe('1');
});
