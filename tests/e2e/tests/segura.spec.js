// The Segura page against the emulator, through the relay (playwright.config.js routes
// vault.segura.test to the emulator): connect with an A2A client id and secret, create a MULT
// request with SANs, modify it, list with filters across pages, sign it and follow its status to
// signed, and be refused locally (nothing sent) for a WILD request without a wildcard name, DSA
// with SHA384 and an over-long justification.
import { test, expect } from '@playwright/test';

const EMULATOR = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}/__emulator`;
const VAULT = 'https://vault.segura.test';
// The emulator's fake A2A application (tests/emulator/src/segura.rs).
const CLIENT_ID = 'emulator-a2a';
const CLIENT_SECRET = 'emulator-a2a-secret-not-real';

async function emulator(request, path, body) {
  const resp = body === undefined ? await request.get(`${EMULATOR}/${path}`) : await request.post(`${EMULATOR}/${path}`, { data: body });
  expect(resp.ok()).toBeTruthy();
  return resp.json();
}

/** The Segura API calls the emulator has seen. */
async function apiCalls(request) {
  return (await emulator(request, 'requests')).requests.filter((r) => r.path.startsWith('/api/'));
}

/** Creates requests straight through the relay (a token, then Bearer), to fill a list. */
async function seed(request, names) {
  const relay = (path) => `/relay/vault.segura.test${path}`;
  const headers = { 'X-Certwright-Relay': '1' };
  const token = await request.post(relay('/iso/oauth2/token'), {
    headers,
    form: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
  });
  expect(token.ok()).toBeTruthy();
  const { access_token: bearer } = await token.json();
  for (const cn of names) {
    const resp = await request.post(relay('/api/v1/certificates/requests'), {
      headers: { ...headers, Authorization: `Bearer ${bearer}` },
      data: {
        certificate_type: 1, domain_type: 'SING', organization: 1, common_name: cn, tags: ['seed'],
        encryption: 'RSA', encryption_key_size: 2048, certificate_algorithm: 'SHA256', validity: 90,
      },
    });
    expect(resp.ok()).toBeTruthy();
  }
}

test.beforeEach(async ({ request }) => {
  await emulator(request, 'reset', {});
  await emulator(request, 'config', { seguraGovernance: false, seguraIssueAsync: false });
});

const status = (page) => page.getByTestId('segura-status');
const failure = (page) => page.getByTestId('segura-failure');
const form = (page, name) => page.getByRole('form', { name });

async function connect(page, path = '/') {
  await page.goto(path);
  if (path === '/') await page.getByRole('link', { name: 'Segura' }).click();
  await page.getByLabel('Vault URL').fill(VAULT);
  await page.getByLabel('Client id', { exact: true }).fill(CLIENT_ID);
  await page.getByLabel('Client secret', { exact: true }).fill(CLIENT_SECRET);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByText(`Connected to ${VAULT}.`)).toBeVisible();
  // The secret left the form as soon as the client held it.
  await expect(page.getByLabel('Client secret')).toHaveCount(0);
}

async function fillMult(page, f) {
  await f.getByLabel('Certificate type').selectOption('2');
  await f.getByLabel('Domain type').selectOption('MULT');
  await f.getByLabel('Organization code').fill('42');
  await f.getByLabel('Common name').fill('shop.example.com');
  await f.getByLabel('SANs (one per line)').fill('shop.example.com\nwww.shop.example.com\napi.shop.example.com');
  await f.getByLabel('Key size').selectOption('4096');
  await f.getByLabel('Signature algorithm').selectOption('SHA384');
  await f.getByLabel('Tags (comma-separated)').fill('web, e2e');
  await f.getByLabel('Justification').fill('New storefront');
  await f.getByLabel('Description').fill('Public shop');
}

test('create a MULT request with SANs, modify it, sign it and follow its status to signed', async ({ page, request }) => {
  const sent = [];
  page.on('request', (r) => sent.push({ url: r.url(), headers: r.headers(), body: r.postData() ?? '' }));
  await connect(page);
  await page.getByRole('link', { name: 'New request' }).click();
  await expect(page).toHaveURL(/\/segura\/requests\/new$/);
  const create = form(page, 'New certificate request');
  // Key custody, said plainly, and warnings on weak choices.
  await expect(page.getByTestId('segura-custody')).toContainText('Segura generates this request\'s private key on its side');
  await expect(page.getByTestId('segura-custody')).toContainText('takes no CSR');
  await create.getByLabel('Key size').selectOption('1024');
  await expect(page.getByTestId('segura-warnings')).toContainText('1024-bit keys are weak');
  await create.getByLabel('Encryption').selectOption('DSA');
  await expect(page.getByTestId('segura-warnings')).toContainText('DSA is obsolete');
  await create.getByLabel('Encryption').selectOption('RSA');
  await fillMult(page, create);
  await expect(page.getByTestId('segura-warnings')).toBeHidden();
  await expect(create.getByText('14 / 1024 characters.')).toBeVisible();
  await create.getByLabel('Key password').fill('kp-not-kept');
  await create.getByRole('button', { name: 'Create request' }).click();
  await expect(page).toHaveURL(/\/segura\/requests\/123$/);
  await expect(status(page)).toHaveText('Request created successfully (request 123). Request 123: Pending (1).');
  await expect(page.getByTestId('segura-request-status')).toHaveText('Pending (1)');
  const record = page.getByTestId('segura-record');
  await expect(record).toContainText('shop.example.com, www.shop.example.com, api.shop.example.com');
  await expect(record).toContainText('RSA 4096');
  await expect(record).toContainText('2 OV SSL');
  // What went out: a form token request, then Bearer; the secret only in the token call's body.
  const createCall = sent.find((r) => r.url.endsWith('/relay/vault.segura.test/api/v1/certificates/requests'));
  const body = JSON.parse(createCall.body);
  expect(body).toMatchObject({
    certificate_type: 2, domain_type: 'MULT', organization: 42, common_name: 'shop.example.com',
    san: ['shop.example.com', 'www.shop.example.com', 'api.shop.example.com'], tags: ['web', 'e2e'],
    encryption: 'RSA', encryption_key_size: 4096, certificate_algorithm: 'SHA384', validity: 365,
    key_password: 'kp-not-kept', justification: 'New storefront', description: 'Public shop',
  });
  expect(body.code_request).toBeUndefined();
  expect(createCall.headers.authorization).toMatch(/^Bearer segura-token-/);
  const withSecret = sent.filter((r) => r.body.includes(CLIENT_SECRET) || JSON.stringify(r.headers).includes(CLIENT_SECRET));
  expect(withSecret.map((r) => r.url)).toEqual([expect.stringMatching(/\/relay\/vault\.segura\.test\/iso\/oauth2\/token$/)]);

  // Modify: the form is filled from the request; the change goes with code_request.
  await page.getByRole('link', { name: 'Modify this request' }).click();
  await expect(page).toHaveURL(/\/segura\/requests\/123\/edit$/);
  const edit = form(page, 'Modify request 123');
  await expect(edit.getByLabel('SANs (one per line)')).toHaveValue('shop.example.com\nwww.shop.example.com\napi.shop.example.com');
  await expect(edit.getByLabel('Key password')).toHaveValue('');
  await edit.getByLabel('SANs (one per line)').fill('shop.example.com\nwww.shop.example.com');
  await edit.getByLabel('Description').fill('Public shop, two names');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/segura\/requests\/123$/);
  await expect(page.getByTestId('segura-request-status')).toHaveText('Modified (2)');
  await expect(page.getByTestId('segura-record')).toContainText('Public shop, two names');
  const modifyCall = sent.filter((r) => r.url.endsWith('/api/v1/certificates/requests')).at(-1);
  expect(JSON.parse(modifyCall.body)).toMatchObject({ code_request: 123, san: ['shop.example.com', 'www.shop.example.com'] });
  expect(JSON.parse(modifyCall.body).key_password).toBeUndefined();

  // Sign with governance: the ITSM code is demanded here first, then the CA issues while the
  // page follows the status.
  await emulator(request, 'config', { seguraGovernance: true, seguraIssueAsync: true });
  await page.getByLabel('This access group demands a governance (ITSM) code to sign').check();
  const sign = form(page, 'Sign this request');
  await sign.getByLabel('CA code').fill('5');
  await sign.getByLabel('Reason code').fill('3');
  await sign.getByLabel('Sign justification').fill('approved');
  const before = (await apiCalls(request)).length;
  await sign.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.locator('#segura-sign-itsm-note')).toHaveText('required: this access group demands a governance (ITSM) code');
  expect((await apiCalls(request)).length).toBe(before);
  await sign.getByLabel('ITSM code (required by governance)').fill('CHG-42');
  await sign.getByRole('button', { name: 'Sign request' }).click();
  await expect(status(page)).toHaveText('Request signed successfully (by GlobalSign (5), reason Scheduled Renewal (3)). Status: Issuing (6).');
  const signCall = sent.find((r) => r.url.endsWith('/api/v1/certificates/requests/sign/123'));
  expect(JSON.parse(signCall.body)).toEqual({ self_signed: 0, ca: 5, justification: 'approved', reason: 3, itsm_code: 'CHG-42' });
  await page.getByRole('button', { name: 'Follow status until signed' }).click();
  await expect(status(page)).toHaveText('Following request 123: Issuing (6); asking again every second…');
  await emulator(request, 'segura/advance', { code_request: 123 });
  await expect(status(page)).toHaveText('Request 123 is Signed (7).');
  await expect(page.getByTestId('segura-request-status')).toHaveText('Signed (7)');
  await expect(page.getByTestId('segura-certificate-code')).toHaveText('9001');
  await expect(sign.getByRole('button', { name: 'Sign request' })).toBeDisabled();
  // The list shows the status as a label with its number.
  await page.getByRole('link', { name: 'All requests' }).click();
  await expect(page.getByRole('row', { name: /Request 123/ })).toContainText('Signed (7)');
});

test('list with filters across pages; the filtered list has a URL', async ({ page, request }) => {
  await seed(request, ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com']);
  await connect(page);
  await page.getByRole('link', { name: 'New request' }).click();
  await fillMult(page, form(page, 'New certificate request'));
  await form(page, 'New certificate request').getByRole('button', { name: 'Create request' }).click();
  await expect(page).toHaveURL(/\/segura\/requests\/128$/);
  await page.getByRole('link', { name: 'All requests' }).click();
  await expect(status(page)).toHaveText('Listed 6 requests.');
  const filters = form(page, 'Filter requests');
  await filters.getByLabel('Domain type').selectOption('SING');
  await filters.getByLabel('Tags (comma-separated)').fill('seed');
  await filters.getByLabel('Page size').fill('2');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/\/segura\/requests\?type_domain=SING&tags=seed&limit=2$/);
  const rows = page.locator('table.segura-requests tbody tr');
  await expect(page.getByTestId('segura-list-note')).toHaveText('Requests 1–2 (offset 0, limit 2).');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('a.example.com');
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/type_domain=SING&tags=seed&offset=2&limit=2$/);
  await expect(page.getByTestId('segura-list-note')).toHaveText('Requests 3–4 (offset 2, limit 2).');
  await expect(rows.nth(0)).toContainText('c.example.com');
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page.getByTestId('segura-list-note')).toHaveText('Requests 5–5 (offset 4, limit 2).');
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText('e.example.com');
  // A short page is the last: no next link.
  await expect(page.getByRole('link', { name: 'Next page' })).toHaveCount(0);
  // The query went to Segura in its own names.
  const calls = await apiCalls(request);
  expect(calls.at(-1).path).toBe('/api/certificate/request/list');
  // Back lands on the previous page.
  await page.goBack();
  await expect(page.getByTestId('segura-list-note')).toHaveText('Requests 3–4 (offset 2, limit 2).');
  // Load all: every SING request, page after page.
  await page.getByRole('button', { name: 'Load all' }).click();
  await expect(page).toHaveURL(/type_domain=SING&tags=seed&all=1$/);
  await expect(page.getByTestId('segura-list-note')).toHaveText('All 5 matching requests (1 page).');
  await expect(rows).toHaveCount(5);
  // The URL alone brings the same filtered page back (after connecting: credentials are never stored).
  await connect(page, '/segura/requests?type_domain=SING&tags=seed&offset=2&limit=2');
  await expect(page.getByTestId('segura-list-note')).toHaveText('Requests 3–4 (offset 2, limit 2).');
  await expect(form(page, 'Filter requests').getByLabel('Page size')).toHaveValue('2');
  await expect(form(page, 'Filter requests').getByLabel('Domain type')).toHaveValue('SING');
});

test('refused locally, on the right field, with nothing sent', async ({ page, request }) => {
  await connect(page);
  await expect(status(page)).toHaveText('Listed 0 requests.');
  await page.getByRole('link', { name: 'New request' }).click();
  const f = form(page, 'New certificate request');
  await fillMult(page, f);
  const before = await apiCalls(request);

  // WILD without a wildcard name.
  await f.getByLabel('Domain type').selectOption('WILD');
  await f.getByLabel('SANs (one per line)').fill('');
  await f.getByRole('button', { name: 'Create request' }).click();
  await expect(failure(page)).toContainText('Not sent: 1 problem to fix first');
  await expect(page.locator('#segura-common_name-note')).toHaveText(/domain_type WILD needs a wildcard common name such as `\*\.shop\.example\.com`/);
  await expect(f.getByLabel('Common name')).toHaveAttribute('aria-describedby', 'segura-common_name-note');
  await expect(f.getByLabel('Common name')).toHaveAttribute('aria-invalid', 'true');
  // A SAN outside the wildcard lands on the SAN field.
  await f.getByLabel('Common name').fill('*.shop.example.com');
  await f.getByLabel('SANs (one per line)').fill('*.shop.example.com\nother.example.org');
  await f.getByRole('button', { name: 'Create request' }).click();
  await expect(page.locator('#segura-san-note')).toHaveText('san[1]: `other.example.org` is not covered by `*.shop.example.com`');
  await expect(page.locator('#segura-common_name-note')).toBeHidden();

  // DSA with SHA384.
  await f.getByLabel('Domain type').selectOption('MULT');
  await f.getByLabel('Common name').fill('shop.example.com');
  await f.getByLabel('SANs (one per line)').fill('shop.example.com\nwww.shop.example.com');
  await f.getByLabel('Encryption').selectOption('DSA');
  await f.getByLabel('Signature algorithm').selectOption('SHA384');
  await f.getByRole('button', { name: 'Create request' }).click();
  await expect(page.locator('#segura-certificate_algorithm-note')).toHaveText('DSA is allowed only with SHA256: choose SHA256 or RSA (not SHA384)');
  await expect(page.locator('#segura-san-note')).toBeHidden();

  // An over-long justification.
  await f.getByLabel('Encryption').selectOption('RSA');
  await f.getByLabel('Justification').fill('x'.repeat(1025));
  await expect(f.getByText('1025 / 1024 characters.')).toBeVisible();
  await f.getByRole('button', { name: 'Create request' }).click();
  await expect(page.locator('#segura-justification-note')).toHaveText('is 1025 characters; at most 1024: shorten it by 1');
  await expect(page.locator('#segura-certificate_algorithm-note')).toBeHidden();
  await expect(failure(page)).toContainText('justification');

  // Nothing reached the emulator.
  expect(await apiCalls(request)).toEqual(before);
  await expect(page).toHaveURL(/\/segura\/requests\/new$/);

  // Segura's own refusal lands on its field too: an organization the vault does not know.
  await f.getByLabel('Justification').fill('ok');
  await f.getByLabel('Organization code').fill('7');
  await f.getByRole('button', { name: 'Create request' }).click();
  await expect(page.locator('#segura-organization-note')).toHaveText('Invalid parameters provided: organization 7 is not registered');
  expect((await apiCalls(request)).length).toBe(before.length + 1);
});
