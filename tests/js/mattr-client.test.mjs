// MattrClient against the vendor emulator (MATTR only, on a free loopback port) through
// globalThis.fetch: the OAuth token fetched once and again after a 401, managed and browser-held
// roots, paging with nextCursor, public endpoints without a token, a root's CRL, the VICAL signer
// flow, MATTR's validation details, and the client secret in no error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, startEmulator, assertNoSecret } from './emulator.mjs';

const mod = await loadModule();
const emu = await startEmulator('mattr');
after(() => emu.stop());
await emu.control('POST', 'config', { mattrAudience: emu.url });
const SECRET = 'emulator-secret-not-real';
const WRONG = 'wrong-mattr-secret-do-not-echo';
const options = (clientSecret = SECRET) => ({ tenantUrl: emu.url, authUrl: emu.url, clientId: 'emulator-client', clientSecret });
const now = Math.floor(Date.now() / 1000);
const rejection = async (p) => { try { await p; } catch (e) { return e; } assert.fail('expected a rejection'); };
const count = (reqs, path) => reqs.filter((r) => r.path === path).length;

async function browserRoot() {
  const key = await mod.generateKeyPair('P-256');
  const params = { ...mod.profileDefaults('mattrDtsRoot', now + 60), subject: { commonName: 'Browser DTS CA', organization: 'Example', country: 'NZ' }, issuerAlternativeNames: ['URI:https://example.com'] };
  const r = mod.issueCertificate({ profile: 'mattrDtsRoot', params, subjectKey: key });
  assert.deepEqual(r.errors, []);
  return { key, pem: r.pem };
}

test('the constructor checks its URLs and fields, never echoing the secret', () => {
  for (const [opts, field] of [
    [{ ...options(), tenantUrl: 'http://tenant.example.com' }, 'tenantUrl'],
    [{ ...options(), authUrl: 'http://127.0.0.1.evil.example' }, 'authUrl'],
    [{ ...options(), clientId: '' }, 'clientId'],
    [{ ...options(), clientSecret: undefined }, 'clientSecret'],
  ]) {
    assert.throws(() => new mod.MattrClient(opts), (e) => { assertNoSecret(assert, e, [SECRET]); return e.kind === 'invalid' && e.field === field; });
  }
  const c = new mod.MattrClient(options());
  assert.equal(c.tenantUrl, emu.url);
  assert.equal(c.clientSecret, undefined);
});

test('roots, VICAL signers, public endpoints and paging; one token, fetched again once after a 401', async () => {
  await emu.control('POST', 'reset');
  const c = new mod.MattrClient(options());
  const managed = await c.createManagedRootCa({ organisationName: 'Example Inc.', commonName: 'Example Managed CA', country: 'NZ' });
  assert.equal(managed.isManaged, true);
  assert.equal((await c.getRootCa(managed.id)).certificateFingerprint, managed.certificateFingerprint);
  assert.equal((await c.setRootCaActive(managed.id, false)).active, false);
  assert.equal((await c.setRootCaActive(managed.id, true)).active, true);

  const { key, pem } = await browserRoot();
  assert.deepEqual(mod.checkMattrRootCa(pem), []);
  const uploaded = await c.uploadRootCa(pem);
  assert.equal(uploaded.isManaged, false);
  await c.setRootCaActive(uploaded.id, true);
  const signer = await c.createVicalSigner(uploaded.id);
  assert.match(signer.csrPem, /BEGIN CERTIFICATE REQUEST/);
  const signed = mod.signVicalSignerCsr(signer.csrPem, pem, key, { days: 90 });
  assert.deepEqual(signed.errors, []);
  const done = await c.uploadVicalSignerCertificate(signer.id, signed.pem);
  assert.equal(done.active, true);
  assert.deepEqual((await c.listVicalSigners({ limit: 10 })).data.map((s) => s.id), [signer.id]);

  await c.createManagedRootCa({ organisationName: 'Third' });
  // Paging: three roots, one a page, following nextCursor; "load all" gets them in one walk.
  const ids = [];
  let cursor;
  let pages = 0;
  do {
    const page = await c.listRootCas({ limit: 1, cursor });
    ids.push(...page.data.map((r) => r.id));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  assert.equal(pages, 3);
  const all = await c.listAllRootCas();
  assert.deepEqual(all.items.map((r) => r.id), ids);
  assert.equal(all.stopped, null);
  // A fourth root is refused before sending: the cap counts what is listed.
  const cap = await rejection(c.createManagedRootCa({ organisationName: 'Fourth' }));
  assert.equal(cap.kind, 'invalid');
  assert.equal(cap.field, 'tenant');

  let reqs = await emu.requests();
  assert.equal(count(reqs, '/oauth/token'), 1, 'one token for every call so far');
  // Public endpoints without a token; the CRL parses with its issuer.
  const anonymous = new mod.MattrClient(options('never-sent-secret'));
  assert.equal((await anonymous.listPublicRootCas()).rootCertificates.length, 3);
  const crl = await anonymous.getRootCaCrl(managed.id);
  assert.match(crl.text, /BEGIN X509 CRL/);
  assert.ok(Array.isArray(crl.crl.revoked));
  assert.equal(crl.crl.issuerDN, mod.parseCertificates(managed.certificatePem).certificates[0].subjectDN);
  reqs = await emu.requests();
  assert.equal(count(reqs, '/oauth/token'), 1, 'the public calls fetched no token');

  // The emulator's clock passes the token's life: the next call gets a 401, one new token, success.
  await emu.control('POST', 'clock', { advanceMs: 14_401_000 });
  const before = (await emu.requests()).length;
  await c.deleteRootCa(ids[2]);
  const tail = (await emu.requests()).slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
  assert.deepEqual(tail, [
    `DELETE /v1/ecosystems/certificates/ca/${ids[2]} 401`,
    'POST /oauth/token 200',
    `DELETE /v1/ecosystems/certificates/ca/${ids[2]} 204`,
  ]);
  assert.equal((await c.listAllRootCas()).items.length, 2);
  assert.equal(count(await emu.requests(), '/oauth/token'), 2);
});

test('failures reject with MATTR\'s code and details, and no client secret', async () => {
  const c = new mod.MattrClient(options());
  const bad = await rejection(c.listRootCas({ cursor: 'not-a-cursor' }));
  assert.equal(bad.kind, 'api');
  assert.equal(bad.status, 400);
  assert.equal(bad.code, 'BadRequest');
  assert.deepEqual(bad.details.map((d) => [d.param, d.location]), [['cursor', 'query']]);
  assert.deepEqual(bad.fieldErrors.map((f) => f.field), ['cursor']);
  assert.match(bad.message, /MATTR answered http 400: Validation Error/);
  assert.equal(bad.body.code, 'BadRequest');
  const missing = await rejection(c.getRootCa('00000000-0000-4000-8000-000000000000'));
  assert.equal(missing.status, 404);
  assert.equal(missing.code, 'NotFound');
  const notUuid = await rejection(c.getRootCa('nope'));
  assert.equal(notUuid.kind, 'invalid');
  assert.equal(notUuid.field, 'id');
  const past = await rejection(c.createManagedRootCa({ organisationName: 'X', notBefore: '2001-01-01T00:00:00Z' }));
  assert.equal(past.field, 'notBefore');
  for (const e of [bad, missing, notUuid, past]) assertNoSecret(assert, e, [SECRET]);

  const wrong = new mod.MattrClient(options(WRONG));
  const denied = await rejection(wrong.listRootCas());
  assert.equal(denied.status, 401);
  assertNoSecret(assert, denied, [WRONG, SECRET]);
});
