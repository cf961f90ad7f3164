// The JS module (pkg/, built by scripts/build-pkg.sh) in Node 20+: initSync, the exports and
// their field names, which are public API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const data = (rel) => readFileSync(fileURLToPath(new URL(`tests/data/${rel}`, root)));
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });

// From tests/data/README.md (openssl x509 -fingerprint -sha256).
const ROOT_SHA256 = '12c893a0298c2aa2b58c499c6c80eab29e5c36de25bbca29bb5c71325c6c7efe';

test('parseCertificates reads a PEM string with the documented field names', () => {
  const { certificates, problems, crls, csrs } = mod.parseCertificates(data('chain/bundle-shuffled.pem').toString(), 'bundle.pem');
  assert.equal(certificates.length, 4);
  assert.deepEqual(problems, []);
  assert.deepEqual([crls.length, csrs.length], [0, 0]);
  const leaf = certificates[0];
  for (const key of ['index', 'pem', 'subjectDN', 'issuerDN', 'serialNumber', 'validFrom', 'expires', 'keyAlgorithm', 'keySize',
    'signatureAlgorithm', 'subjectAlternativeNames', 'version', 'sha1Fingerprint', 'sha256Fingerprint', 'isCa', 'role', 'warnings']) {
    assert.ok(key in leaf, `CertificateInfo has ${key}`);
  }
  assert.equal(leaf.subjectDN, 'CN=example.com,O=Certwright Test,C=US');
  assert.equal(leaf.issuerDN, 'CN=Certwright Test Intermediate CA,O=Certwright Test,C=US');
  assert.equal(leaf.serialNumber, '3001');
  assert.equal(leaf.validFrom, '2025-01-01T00:00:00Z');
  assert.equal(leaf.expires, '2035-01-01T00:00:00Z');
  assert.deepEqual([leaf.keyAlgorithm, leaf.keySize, leaf.curve], ['EC', 256, 'P-256']);
  assert.equal(leaf.signatureAlgorithm, 'ecdsa-with-SHA256');
  assert.ok(leaf.subjectAlternativeNames.includes('DNS:example.com'));
  assert.deepEqual([leaf.version, leaf.isCa, leaf.role, leaf.index], [3, false, 'leaf', 0]);
  assert.match(leaf.sha1Fingerprint, /^[0-9a-f]{40}$/);
  assert.equal(certificates[1].sha256Fingerprint, ROOT_SHA256);
  assert.equal(certificates[1].role, 'root');
  assert.equal(certificates[2].role, 'intermediate');
  assert.ok(leaf.pem.startsWith('-----BEGIN CERTIFICATE-----\n'));
});

test('parseCertificates reads DER and PKCS#7 bytes, CRLs and CSRs', () => {
  assert.equal(mod.parseCertificates(data('chain/leaf.der')).certificates.length, 1);
  assert.equal(mod.parseCertificates(new Uint8Array(data('pkcs7/chain.p7b'))).certificates.length, 3);
  const crl = mod.parseCertificates(data('crl/intermediate.crl.pem').toString()).crls[0];
  assert.equal(crl.revoked[0].reason, 'keyCompromise');
  const csr = mod.parseCertificates(data('csr/bad-signature.csr.pem').toString()).csrs[0];
  assert.equal(csr.signatureValid, false);
});

test('bad input comes back as problems, never as an exception', () => {
  const r = mod.parseCertificates(data('pem/malformed-middle.pem').toString(), 'mm.pem');
  assert.equal(r.certificates.length, 2);
  assert.equal(r.problems.length, 1);
  assert.deepEqual([r.problems[0].block, r.problems[0].line, r.problems[0].source], [2, 22, 'mm.pem, block 2 (line 22)']);
  assert.match(mod.parseCertificates('hello world').problems[0].message, /not PEM/);
  assert.match(mod.parseCertificates({}).problems[0].message, /must be a string/);
  assert.deepEqual(mod.parseCertificates('').problems, []);
});

test('orderChain, dedupePem, countCertificates and version', () => {
  const bundle = data('chain/bundle-shuffled.pem').toString();
  const order = mod.orderChain(bundle);
  assert.equal(order.chainLen, 3);
  assert.deepEqual(order.order.slice(0, 3), [0, 2, 1]);
  assert.equal(mod.dedupePem(bundle).match(/BEGIN CERTIFICATE/g).length, 3);
  assert.equal(mod.countCertificates(bundle), 4);
  assert.match(mod.version(), /^\d+\.\d+\.\d+$/);
});
