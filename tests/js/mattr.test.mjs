// MATTR pieces of the JS module: the external-root rule pack, the creation-form checks and the
// VICAL signer signing, on roots made through the module itself (MATTR profile, P-256 / P-384).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });
const now = Math.floor(Date.now() / 1000);

async function mattrRoot(alg, ian = ['URI:https://example.com']) {
  const key = await mod.generateKeyPair(alg);
  const params = { ...mod.profileDefaults('mattrDtsRoot', now), subject: { commonName: 'Example DTS CA', organization: 'Example', country: 'NZ' }, issuerAlternativeNames: ian, serialHex: ian.length ? '' : '75bcd15' };
  const r = mod.issueCertificate({ profile: ian.length ? 'mattrDtsRoot' : undefined, params, subjectKey: key });
  assert.deepEqual(r.errors, []);
  return { key, pem: r.pem };
}

test('checkMattrRootCa: profile roots pass, a root without an IAN fails on its field', async () => {
  for (const alg of ['P-256', 'P-384']) {
    const { pem } = await mattrRoot(alg);
    assert.deepEqual(mod.checkMattrRootCa(pem), []);
    assert.deepEqual(mod.checkMattrRootCa(pem, { now, listedCount: 2 }), []);
    assert.deepEqual(mod.checkMattrRootCa(pem, { now, listedCount: 3 }).map((f) => f.field), ['tenant']);
  }
  const { pem } = await mattrRoot('P-256', []);
  const f = mod.checkMattrRootCa(pem, { now });
  assert.deepEqual(f.map((x) => x.field), ['issuerAlternativeNames']);
  assert.match(f[0].message, /email address or a URI/);
  assert.deepEqual(mod.checkMattrRootCa('nope').map((x) => x.field), ['certificate']);
});

test('checkMattrCreateRoot puts each problem on its field', () => {
  assert.deepEqual(mod.checkMattrCreateRoot({ organisationName: 'Example' }, { now, listedCount: 0 }), []);
  const f = mod.checkMattrCreateRoot({ organisationName: 'Example', country: 'ZZ', notBefore: '2001-01-01T00:00:00Z' }, { now, listedCount: 3 });
  assert.deepEqual(f.map((x) => x.field), ['tenant', 'country', 'notBefore']);
});

test('signVicalSignerCsr signs a CSR with the root key; the result chains to the root', async () => {
  const rootCa = await mattrRoot('P-256');
  const signerKey = await mod.generateKeyPair('P-256');
  const csr = mod.createCsr(signerKey, { subject: { commonName: 'VICAL Signer' } }).pem;
  const r = mod.signVicalSignerCsr(csr, rootCa.pem, rootCa.key, { notBefore: now, days: 30 });
  assert.deepEqual(r.errors, []);
  const parsed = mod.parseCertificates(r.pem + rootCa.pem);
  assert.equal(parsed.certificates[0].issuerDN, parsed.certificates[1].subjectDN);
  assert.deepEqual(mod.orderChain(r.pem + rootCa.pem).chainLen, 2);
  const bad = mod.signVicalSignerCsr(csr, rootCa.pem, signerKey, {});
  assert.ok(bad.errors.some((e) => e.field === 'issuer.key'), JSON.stringify(bad.errors));
});
