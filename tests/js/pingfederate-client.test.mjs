// PingFederateClient against the vendor emulator (PingFederate only, on a free loopback port)
// through globalThis.fetch: Basic and Bearer, the catalogue, generate / get / certificate / list /
// delete, rotation settings, signing PingFederate's CSR with a browser CA and importing the answer,
// importing a browser key pair (PEM, encrypted), an ApiResult 422 with its validationErrors, the
// checkPingFederateKeyPair validator, and no password or token in any error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, startEmulator, assertNoSecret } from './emulator.mjs';

const mod = await loadModule();
const emu = await startEmulator('pingfederate');
after(() => emu.stop());
const PASSWORD = '2FederateM0re';
const TOKEN = 'pf-bearer-token-do-not-echo-0123';
const basic = (password = PASSWORD) => new mod.PingFederateClient({ baseUrl: emu.url, username: 'administrator', password });
const now = Math.floor(Date.now() / 1000);
const rejection = async (p) => { try { await p; } catch (e) { return e; } assert.fail('expected a rejection'); };
const settings = (id) => ({ id, commonName: `${id}.example.com`, organization: 'Example', country: 'US', validDays: 30, keyAlgorithm: 'EC' });

test('the constructor: Basic or a token, https or loopback http only', () => {
  assert.equal(basic().baseUrl, `${emu.url}/pf-admin-api/v1`);
  assert.throws(() => new mod.PingFederateClient({ baseUrl: 'http://pf.example.com:9999', token: TOKEN }), (e) => e.field === 'baseUrl' && !e.message.includes(TOKEN));
  assert.throws(() => new mod.PingFederateClient({ baseUrl: emu.url, username: 'administrator' }), (e) => e.field === 'password');
  const c = new mod.PingFederateClient({ baseUrl: emu.url, token: TOKEN });
  assert.equal(c.token, undefined);
  assert.equal(basic().password, undefined);
});

test('catalogue, generate, get, certificate, rotation settings, list and delete', async () => {
  await emu.control('POST', 'reset');
  const c = basic();
  const catalogue = await c.keyAlgorithms();
  assert.deepEqual(catalogue.items.map((a) => a.name).sort(), ['EC', 'RSA']);
  assert.deepEqual(mod.checkPingFederateKeyPair(settings('ok-1'), catalogue), []);
  const view = await c.generateSigningKeyPair(settings('ok-1'));
  assert.equal(view.id, 'ok-1');
  assert.equal(view.keySize, 256);
  const got = await c.getSigningKeyPair('ok-1');
  const pem = await c.getSigningKeyPairCertificate('ok-1');
  const info = mod.parseCertificates(pem).certificates[0];
  assert.equal(info.sha256Fingerprint.replaceAll(':', ''), got.sha256Fingerprint.replaceAll(':', '').toLowerCase());
  const rot = await c.putRotationSettings('ok-1', { creationBufferDays: 10, activationBufferDays: 5 });
  assert.equal(rot.creationBufferDays, 10);
  assert.equal((await c.getRotationSettings('ok-1')).activationBufferDays, 5);
  await c.deleteRotationSettings('ok-1');
  assert.equal((await rejection(c.getRotationSettings('ok-1'))).status, 404);
  const missingRot = await rejection(c.putRotationSettings('ok-1', { activationBufferDays: 5 }));
  assert.equal(missingRot.kind, 'invalid');
  assert.equal(missingRot.field, 'settings.creationBufferDays');
  assert.deepEqual((await c.listSigningKeyPairs()).items.map((k) => k.id), ['ok-1']);
  await c.deleteSigningKeyPair('ok-1');
  assert.deepEqual((await c.listSigningKeyPairs()).items, []);
  // Every call carried the XSRF header and Basic: the emulator answered none with 401 or 403.
  assert.ok((await emu.requests()).every((r) => r.status !== 401 && r.status !== 403));
});

test('sign PingFederate\'s CSR with a browser CA and import the answer; import a browser key pair', async () => {
  await emu.control('POST', 'reset');
  const c = basic();
  await c.generateSigningKeyPair(settings('csr-1'));
  const csrPem = await c.getSigningKeyPairCsr('csr-1');
  assert.match(csrPem, /BEGIN CERTIFICATE REQUEST/);
  const caKey = await mod.generateKeyPair('P-256');
  const ca = mod.issueCertificate({ subjectKey: caKey, params: { subject: { commonName: 'Browser CA', country: 'US' }, isCa: true, keyUsage: ['keyCertSign', 'cRLSign'], notBefore: now - 60, notAfter: now + 86_400 } });
  assert.deepEqual(ca.errors, []);
  const leaf = mod.issueCertificate({ csrPem, issuerCertificatePem: ca.pem, issuerKey: caKey, params: { notBefore: now - 60, notAfter: now + 3_600 } });
  assert.deepEqual(leaf.errors, []);
  const imported = await c.importCsrResponse('csr-1', leaf.pem);
  assert.equal(imported.issuerDN, 'CN=Browser CA,C=US');
  // An answer for another key is refused before sending.
  const otherKey = await mod.generateKeyPair('P-256');
  const other = mod.issueCertificate({ subjectKey: otherKey, params: { subject: { commonName: 'other' }, notBefore: now - 60, notAfter: now + 3_600 } });
  const wrongKey = await rejection(c.importCsrResponse('csr-1', other.pem));
  assert.equal(wrongKey.kind, 'invalid');

  const key = await mod.generateKeyPair('P-256');
  const cert = mod.issueCertificate({ subjectKey: key, params: { subject: { commonName: 'imported.example.com' }, notBefore: now - 60, notAfter: now + 86_400 } });
  const filePassword = 'file-password-do-not-echo';
  const encrypted = mod.exportPrivateKey(key, { password: filePassword, kdf: 'pbkdf2' });
  const fileData = new TextEncoder().encode(`${encrypted}${cert.pem}`);
  const view = await c.importSigningKeyPair({ fileData, format: 'PEM', password: filePassword, id: 'imported-1' });
  assert.equal(view.id, 'imported-1');
  const wrong = await rejection(c.importSigningKeyPair({ fileData, format: 'PEM', password: 'not-the-password', id: 'imported-2' }));
  assert.equal(wrong.status, 422);
  assert.deepEqual(wrong.fieldErrors.map((f) => f.field), ['password']);
  assertNoSecret(assert, wrong, [filePassword, 'not-the-password', PASSWORD]);
});

test('an ApiResult 422 lands on its fields; the validator and 401s hold no secret', async () => {
  await emu.control('POST', 'reset');
  const c = basic();
  await c.generateSigningKeyPair(settings('dup-1'));
  const dup = await rejection(c.generateSigningKeyPair(settings('dup-1')));
  assert.equal(dup.kind, 'api');
  assert.equal(dup.status, 422);
  assert.equal(dup.code, 'validation_error');
  assert.deepEqual(dup.details.map((d) => d.fieldPath), ['id']);
  assert.deepEqual(dup.fieldErrors.map((f) => f.field), ['id']);
  assert.match(dup.message, /PingFederate answered http 422/);
  assert.match(dup.message, /id: A key pair with ID 'dup-1' already exists/);
  assert.equal(dup.body.resultId, 'validation_error');
  // Refused before sending: every problem of the settings, each on its field.
  const catalogue = await c.keyAlgorithms();
  const f = mod.checkPingFederateKeyPair({ id: 'Bad Id', keyAlgorithm: 'DSA', validDays: 30 }, catalogue);
  for (const field of ['id', 'commonName', 'organization', 'country', 'keyAlgorithm']) assert.ok(f.some((x) => x.field === field), `${field}: ${JSON.stringify(f)}`);
  assert.deepEqual(mod.checkPingFederateKeyPair('nope', catalogue).map((x) => x.field), ['settings']);
  const local = await rejection(c.generateSigningKeyPair({ ...settings('ok-2'), keySize: 1024 }));
  assert.equal(local.kind, 'invalid');
  assert.equal(local.field, 'keySize');

  const wrong = await rejection(basic('wrong-password-do-not-echo').listSigningKeyPairs());
  assert.equal(wrong.status, 401);
  assertNoSecret(assert, wrong, ['wrong-password-do-not-echo', PASSWORD]);
  const noToken = await rejection(new mod.PingFederateClient({ baseUrl: emu.url, token: TOKEN }).keyAlgorithms());
  assert.equal(noToken.status, 401);
  assertNoSecret(assert, noToken, [TOKEN]);
  await emu.control('POST', 'config', { pingfederate: { bearerToken: TOKEN } });
  assert.ok((await new mod.PingFederateClient({ baseUrl: emu.url, token: TOKEN }).keyAlgorithms()).items.length > 0);
});
