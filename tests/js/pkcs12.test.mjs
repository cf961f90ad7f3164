// PKCS#12 through the JS module in Node 20+: exportPkcs12 in both profiles, read back by
// importPkcs12 and by `openssl pkcs12`; importPkcs12 of what openssl writes; clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });
const dir = mkdtempSync(join(tmpdir(), 'certwright-p12-js-'));
const file = (name, data) => { const p = join(dir, name); writeFileSync(p, data); return p; };
const openssl = (...args) => spawnSync('openssl', args, { encoding: 'utf8' });
const now = Math.floor(Date.now() / 1000);
const PASSWORD = 'js p12 pässword';

async function chain() {
  const caKey = await mod.generateKeyPair('P-384');
  const ca = mod.issueCertificate({
    profile: 'openaiMtlsCa', subjectKey: caKey,
    params: { ...mod.profileDefaults('openaiMtlsCa', now - 60), subject: { commonName: 'P12 JS CA', country: 'US' } },
  });
  const key = await mod.generateKeyPair('P-256');
  const csrPem = mod.createCsr(key, { subject: { commonName: 'p12-client' } }).pem;
  const leaf = mod.issueCertificate({
    profile: 'openaiClient', params: { ...mod.profileDefaults('openaiClient', now - 60), subject: {} },
    csrPem, issuerCertificatePem: ca.pem, issuerKey: caKey,
  });
  assert.deepEqual(leaf.errors, []);
  return { key, leafPem: leaf.pem, caPem: ca.pem };
}

test('exportPkcs12 round-trips through importPkcs12 and openssl reads both profiles', async () => {
  const { key, leafPem, caPem } = await chain();
  for (const [profile, cipher, legacy] of [['modern', undefined, []], ['legacy', 'rc2-40', ['-legacy']], ['legacy', '3des', ['-legacy']]]) {
    let t = performance.now();
    const p12 = mod.exportPkcs12(key, { certificatePem: leafPem, chainPem: caPem, password: PASSWORD, friendlyName: 'client-1', profile, legacyCertCipher: cipher });
    const exportMs = performance.now() - t;
    assert.ok(p12 instanceof Uint8Array && p12.length > 1000, `${profile}: ${p12.length} bytes`);
    t = performance.now();
    const back = mod.importPkcs12(p12, PASSWORD);
    console.log(`${profile}/${cipher ?? 'aes'}: ${p12.length} bytes, export ${exportMs.toFixed(1)} ms, import ${(performance.now() - t).toFixed(1)} ms (wasm)`);
    assert.equal(back.key.publicKeyPem(), key.publicKeyPem());
    assert.equal(back.friendlyName, 'client-1');
    assert.deepEqual(back.certificates.map((c) => c.pem), [leafPem, caPem]);
    assert.equal(back.mac, profile === 'modern' ? 'HMAC-SHA-256, 2048 iterations' : 'HMAC-SHA-1, 2048 iterations');
    const f = file(`${profile}-${cipher}.p12`, p12);
    const info = openssl('pkcs12', '-in', f, '-info', '-nodes', '-passin', `pass:${PASSWORD}`, ...legacy);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout + info.stderr, profile === 'modern' ? /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/ : /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
    assert.match(info.stdout, /friendlyName: client-1/);
    const keyOut = openssl('pkcs12', '-in', f, '-nocerts', '-nodes', '-passin', `pass:${PASSWORD}`, '-out', join(dir, 'k.pem'), ...legacy);
    assert.equal(keyOut.status, 0, keyOut.stderr);
    assert.equal(openssl('pkey', '-in', join(dir, 'k.pem'), '-pubout').stdout, key.publicKeyPem());
    const certs = openssl('pkcs12', '-in', f, '-nokeys', '-passin', `pass:${PASSWORD}`, ...legacy).stdout;
    assert.deepEqual(mod.parseCertificates(certs).certificates.map((c) => c.pem), [leafPem, caPem]);
  }
});

test('importPkcs12 reads what openssl writes, with and without -legacy', async () => {
  const { key, leafPem, caPem } = await chain();
  const keyFile = file('key.pem', mod.exportPrivateKey(key, { unencrypted: true }));
  for (const extra of [[], ['-legacy'], ['-descert']]) {
    const out = join(dir, `openssl${extra.join('')}.p12`);
    const r = openssl('pkcs12', '-export', '-inkey', keyFile, '-in', file('leaf.pem', leafPem), '-certfile', file('ca.pem', caPem),
      '-name', 'from openssl', '-passout', `pass:${PASSWORD}`, '-out', out, ...extra);
    assert.equal(r.status, 0, r.stderr);
    const got = mod.importPkcs12(readFileSync(out), PASSWORD);
    assert.equal(got.key.publicKeyPem(), key.publicKeyPem());
    assert.equal(got.friendlyName, 'from openssl');
    assert.deepEqual(got.certificates.map((c) => c.pem), [leafPem, caPem]);
    assert.equal(got.certificates[0].subjectDN, 'CN=p12-client');
  }
});

test('wrong passwords, bad input and bad options are clear errors', async () => {
  const { key, leafPem } = await chain();
  const p12 = mod.exportPkcs12(key, { certificatePem: leafPem, password: PASSWORD });
  assert.throws(() => mod.importPkcs12(p12, 'nope'), (e) => e.message === 'wrong password or corrupted MAC');
  assert.throws(() => mod.importPkcs12(p12.slice(0, 100), PASSWORD), (e) => /malformed PKCS#12 at PFX/.test(e.message) && !e.message.includes(PASSWORD));
  assert.throws(() => mod.importPkcs12('text', PASSWORD), /binary/);
  assert.throws(() => mod.exportPkcs12(key, { certificatePem: leafPem }), /password is needed/);
  assert.throws(() => mod.exportPkcs12(key, { certificatePem: leafPem, password: 'x', profile: 'aes' }), /profile `aes`/);
  assert.throws(() => mod.exportPkcs12(key, { certificatePem: 'nope', password: 'x' }), /no CERTIFICATE block/);
  const other = await mod.generateKeyPair('P-256');
  assert.throws(() => mod.exportPkcs12(other, { certificatePem: leafPem, password: 'x' }), /does not belong to the key/);
});
