// SeguraClient against the vendor emulator (Segura only, on a free loopback port) through
// globalThis.fetch: the A2A token (form and Basic) fetched once and again after a 401, create a
// MULT request, modify it, list with filters across pages, follow its status to signed, Segura's
// errors on their fields, checks before sending (nothing sent), checkSeguraRequest, and the client
// secret in no error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, startEmulator, assertNoSecret } from './emulator.mjs';

const mod = await loadModule();
const emu = await startEmulator('segura');
after(() => emu.stop());
const SECRET = 'emulator-a2a-secret-not-real';
const WRONG = 'wrong-a2a-secret-do-not-echo';
const client = (clientSecret = SECRET, tokenStyle) => new mod.SeguraClient({ baseUrl: emu.url, clientId: 'emulator-a2a', clientSecret, tokenStyle });
const rejection = async (p) => { try { await p; } catch (e) { return e; } assert.fail('expected a rejection'); };
const mult = (cn = 'api.example.com', extra = {}) => ({
  certificate_type: 2, domain_type: 'MULT', organization: 42, common_name: cn, san: [cn, 'www.example.com'], tags: ['web'],
  encryption: 'RSA', encryption_key_size: 2048, certificate_algorithm: 'SHA256', validity: 365,
  justification: 'Needed for the new API', description: 'Public API endpoints', ...extra,
});

test('the constructor checks its fields, never echoing the secret', () => {
  assert.equal(client().baseUrl, emu.url);
  assert.throws(() => new mod.SeguraClient({ baseUrl: 'http://vault.example.com', clientId: 'x', clientSecret: SECRET }), (e) => e.field === 'baseUrl' && !e.message.includes(SECRET));
  assert.throws(() => client(SECRET, 'digest'), (e) => e.field === 'tokenStyle');
  assert.throws(() => client(''), (e) => e.field === 'clientSecret');
  assert.equal(client().clientSecret, undefined);
});

test('create, modify, list across pages with filters, follow the status to signed (form and Basic tokens)', async () => {
  for (const style of ['form', 'basic']) {
    await emu.control('POST', 'reset');
    const c = client(SECRET, style);
    const created = await c.createRequest(mult());
    const code = created.code_request;
    assert.ok(code > 0);
    assert.equal(created.type_domain, 'MULT');
    await c.modifyRequest(code, mult('api.example.com', { san: ['api.example.com', 'www.example.com', 'static.example.com'] }));
    const got = await c.getRequest(code);
    assert.equal(got.san.length, 3);
    assert.deepEqual(got.status_request, { number: 2, label: 'Modified' });
    for (let i = 0; i < 60; i++) await c.createRequest(mult(`h${i}.example.com`, { tags: i % 3 === 0 ? ['batch'] : ['web'] }));
    const every = await c.listAllRequests();
    assert.equal(every.items.length, 61);
    assert.equal(every.pages, 2);
    const web = await c.listAllRequests({ type_domain: 'MULT', tags: ['web'] });
    assert.equal(web.items.length, 41, '1 modified + 40 tagged web');
    const page = await c.listRequests({ tags: ['web'] }, { offset: 40, limit: 10 });
    assert.equal(page.requests.length, 1);
    assert.equal(page.nextOffset, null);
    const first = await c.listRequests(undefined, { limit: 10 });
    assert.equal(first.requests.length, 10);
    assert.equal(first.nextOffset, 10);
    assert.deepEqual((await c.requestStatus(code)).status_request, { number: 2, label: 'Modified' });
    const signed = await c.signRequest(code, { self_signed: 0, ca: 5, reason: 3, justification: 'approved' });
    assert.equal(signed.error, false);
    const status = await c.requestStatus(String(code));
    assert.deepEqual(status.status_request, { number: 7, label: 'Signed' });
    assert.ok(status.certificate_code > 0);
    const tokens = (await emu.requests()).filter((r) => r.path === '/iso/oauth2/token');
    assert.equal(tokens.length, 1, `${style}: one token for every call`);
  }
});

test('refused before sending, Segura\'s errors on their fields, a new token after a 401, no secret', async () => {
  await emu.control('POST', 'reset');
  const c = client();
  const cases = [
    [mult('api.example.com', { domain_type: 'WILD', san: [] }), 'common_name'],
    [mult('api.example.com', { encryption: 'DSA', certificate_algorithm: 'SHA384' }), 'certificate_algorithm'],
    [mult('api.example.com', { justification: 'x'.repeat(1025) }), 'justification'],
  ];
  for (const [fields, field] of cases) {
    const e = await rejection(c.createRequest(fields));
    assert.equal(e.kind, 'invalid');
    assert.equal(e.field, field);
    assert.ok(mod.checkSeguraRequest(fields).some((f) => f.field === field), field);
  }
  assert.deepEqual(mod.checkSeguraRequest(mult()), []);
  const missing = mod.checkSeguraRequest({ domain_type: 'SING' }).map((f) => f.field);
  for (const field of ['certificate_type', 'common_name', 'encryption']) assert.ok(missing.includes(field), `${field}: ${missing}`);
  assert.deepEqual(await emu.requests(), [], 'nothing was sent');

  const code = (await c.createRequest(mult())).code_request;
  await c.signRequest(code, { self_signed: 1, reason: 1 });
  const signedAlready = await rejection(c.modifyRequest(code, mult()));
  assert.equal(signedAlready.kind, 'api');
  assert.equal(signedAlready.status, 400);
  assert.deepEqual(signedAlready.fieldErrors.map((f) => f.field), ['code_request']);
  assert.equal(signedAlready.body.error, true);
  assert.match(signedAlready.message, /Segura answered http 400/);
  const unknown = await rejection(c.requestStatus(99_999));
  assert.equal(unknown.status, 404);
  const badCode = await rejection(c.getRequest(0));
  assert.equal(badCode.field, 'code_request');

  // The emulator's clock passes the token's life (the client's cache still holds it, 60 s margin):
  // the cached one is refused once, a new one is fetched, the call succeeds.
  await emu.control('POST', 'config', { seguraTokenTtlS: 120 });
  const short = client();
  await short.getRequest(code);
  await emu.control('POST', 'clock', { advanceMs: 200_000 });
  const before = (await emu.requests()).length;
  await short.getRequest(code);
  const tail = (await emu.requests()).slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
  assert.deepEqual(tail, [`GET /api/certificate/request/list/${code} 401`, 'POST /iso/oauth2/token 200', `GET /api/certificate/request/list/${code} 200`]);

  const denied = await rejection(client(WRONG).getRequest(code));
  assert.equal(denied.status, 401);
  for (const e of [signedAlready, unknown, denied]) assertNoSecret(assert, e, [SECRET, WRONG]);
});
