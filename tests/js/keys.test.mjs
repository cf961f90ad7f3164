// The key workshop through the JS module in Node 20+ (globalThis.crypto): keys, CSRs,
// certificates, CRLs and profiles, each checked by openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });
const dir = mkdtempSync(join(tmpdir(), 'certwright-js-'));
const file = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const openssl = (...args) => spawnSync('openssl', args, { encoding: 'utf8' });
const now = Math.floor(Date.now() / 1000);
const DAY = 86400;

test('generateKeyPair uses WebCrypto and keeps the private key inside', async () => {
  for (const alg of ['P-256', 'P-384', 'RSA-2048']) {
    const key = await mod.generateKeyPair(alg);
    assert.equal(key.algorithm, alg);
    assert.equal(key.source, 'webcrypto');
    assert.match(key.publicKeyPem(), /^-----BEGIN PUBLIC KEY-----\n/);
    assert.deepEqual(Object.keys(key).filter((k) => /priv|secret|pkcs8/i.test(k)), []);
  }
  await assert.rejects(mod.generateKeyPair('DSA-1024'), /unsupported key algorithm `DSA-1024`/);
});

test('exportPrivateKey encrypts by default; openssl decrypts it; wrong passwords are clear errors', async () => {
  const key = await mod.generateKeyPair('P-256');
  assert.throws(() => mod.exportPrivateKey(key, {}), /a password is needed/);
  const pem = mod.exportPrivateKey(key, { password: 'pa55 word', kdf: 'pbkdf2' });
  assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  const r = openssl('pkey', '-in', file('k.pem', pem), '-passin', 'pass:pa55 word', '-pubout');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, key.publicKeyPem());
  const again = mod.importPrivateKey(pem, 'pa55 word');
  assert.equal(again.publicKeyPem(), key.publicKeyPem());
  assert.throws(() => mod.importPrivateKey(pem, 'nope'), (e) => /wrong password/.test(e.message) && !e.message.includes('pa55'));
  assert.throws(() => mod.importPrivateKey(pem), /a password is needed/);
  assert.match(mod.exportPrivateKey(key, { unencrypted: true }), /^-----BEGIN PRIVATE KEY-----/);
  assert.throws(() => mod.importPrivateKey('garbage'), /not a private key/);
});

test('createCsr output passes openssl req -verify; bad fields come back as errors', async () => {
  const key = await mod.generateKeyPair('RSA-2048');
  const { pem, errors } = mod.createCsr(key, {
    subject: { commonName: 'svc.example.com', organization: 'Example', country: 'US' },
    sans: ['svc.example.com', 'IP:198.51.100.4'], keyUsage: ['digitalSignature'], extendedKeyUsage: ['clientAuth'], hash: 'SHA-384',
  });
  assert.deepEqual(errors, []);
  const r = openssl('req', '-in', file('r.csr', pem), '-noout', '-verify');
  assert.match(r.stdout + r.stderr, /verify OK/);
  const parsed = mod.parseCertificates(pem).csrs[0];
  assert.equal(parsed.signatureValid, true);
  assert.equal(parsed.signatureAlgorithm, 'sha384WithRSAEncryption');
  const bad = mod.createCsr(key, { subject: { commonName: 'x', country: 'USA' }, sans: ['*.com'] });
  assert.equal(bad.pem, null);
  assert.deepEqual(bad.errors.map((e) => e.field), ['subject.country', 'sans[0]']);
});

test('an OpenAI mTLS CA issues a client certificate from a CSR; openssl verifies the chain; a CRL verifies', async () => {
  const caKey = await mod.generateKeyPair('P-384');
  const caParams = { ...mod.profileDefaults('openaiMtlsCa', now - 60), subject: { commonName: 'Example mTLS CA', organization: 'Example', country: 'US' } };
  const ca = mod.issueCertificate({ profile: 'openaiMtlsCa', params: caParams, subjectKey: caKey });
  assert.deepEqual(ca.errors, []);
  assert.ok(ca.pem.length < 16 * 1024, 'under 16 KB');
  const clientKey = await mod.generateKeyPair('P-256');
  const csr = mod.createCsr(clientKey, { subject: { commonName: 'client-1' } }).pem;
  const client = mod.issueCertificate({
    profile: 'openaiClient', params: { ...mod.profileDefaults('openaiClient', now - 60), subject: {} },
    csrPem: csr, issuerCertificatePem: ca.pem, issuerKey: caKey,
  });
  assert.deepEqual(client.errors, []);
  const v = openssl('verify', '-x509_strict', '-CAfile', file('ca.pem', ca.pem), file('client.pem', client.pem));
  assert.equal(v.status, 0, v.stdout + v.stderr);
  const info = mod.parseCertificates(client.pem).certificates[0];
  assert.deepEqual(info.keyUsage, ['digitalSignature', 'keyEncipherment']);
  assert.deepEqual(info.extendedKeyUsage, ['clientAuth']);
  assert.equal(info.authorityKeyIdentifier, mod.parseCertificates(ca.pem).certificates[0].subjectKeyIdentifier);
  // The profile explains what is missing before anything is built.
  const noIssuer = mod.issueCertificate({ profile: 'openaiClient', params: mod.profileDefaults('openaiClient', now), subjectKey: clientKey });
  assert.equal(noIssuer.pem, null);
  assert.ok(noIssuer.errors.some((e) => e.field === 'issuer'));
  const crl = mod.issueCrl({ issuerCertificatePem: ca.pem, revoked: [{ serialHex: info.serialNumber, revokedAt: now - 10, reason: 'keyCompromise' }], thisUpdate: now - 5, nextUpdate: now + 7 * DAY, crlNumber: 1 }, caKey);
  assert.deepEqual(crl.errors, []);
  const c = openssl('crl', '-in', file('ca.crl', crl.pem), '-noout', '-verify', '-CAfile', file('ca2.pem', ca.pem));
  assert.match(c.stdout + c.stderr, /verify OK/);
});

test('MATTR DTS root: the profile lists what is missing, then a compliant root is built', async () => {
  const key = await mod.generateKeyPair('P-256');
  const params = mod.profileDefaults('mattrDtsRoot', now + 60);
  const missing = mod.checkProfile('mattrDtsRoot', params, key, false).map((e) => e.field);
  assert.deepEqual(missing, ['subject.country', 'subject.commonName', 'subject.organization', 'issuerAlternativeNames']);
  const full = { ...params, subject: { commonName: 'Example DTS CA', organization: 'Example', country: 'AU' }, issuerAlternativeNames: ['URI:https://example.com'] };
  const root = mod.issueCertificate({ profile: 'mattrDtsRoot', params: full, subjectKey: key });
  assert.deepEqual(root.errors, []);
  const text = openssl('x509', '-in', file('dts.pem', root.pem), '-noout', '-text', '-serial');
  assert.match(text.stdout, /X509v3 Issuer Alternative Name:\s+URI:https:\/\/example.com/);
  const serialHex = text.stdout.match(/serial=([0-9A-F]+)/)[1];
  assert.ok(BigInt('0x' + serialHex).toString().length <= 20, 'serial of at most 20 digits');
});
