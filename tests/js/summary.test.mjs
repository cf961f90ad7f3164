// The summary fast path of the JS module: parseCertificateSummaries gives the table fields of
// every certificate exactly as parseCertificates has them, the same CRLs, CSRs and problems, and
// store.detail(i) is parseCertificates(...).certificates[i]; summarizeCertificatesJson is the same
// as one JSON string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);
const data = fileURLToPath(new URL('tests/data/', root));
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });

const FIELDS = ['index', 'source', 'subjectDN', 'issuerDN', 'serialNumber', 'validFromUnix', 'expiresUnix', 'keyAlgorithm',
  'keySize', 'curve', 'sha1Fingerprint', 'sha256Fingerprint', 'isCa', 'selfSigned', 'role', 'warnings'];

const files = (dir) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? files(p) : [p];
});

test('parseCertificateSummaries agrees with parseCertificates on every committed vector', () => {
  let certs = 0;
  for (const path of files(data)) {
    const bytes = new Uint8Array(readFileSync(path));
    const full = mod.parseCertificates(bytes, path);
    const fast = mod.parseCertificateSummaries(bytes, path);
    assert.equal(fast.certificates.length, full.certificates.length, path);
    fast.certificates.forEach((s, i) => {
      assert.deepEqual(Object.keys(s).sort(), [...FIELDS].sort(), path);
      for (const f of FIELDS) assert.deepEqual(s[f], full.certificates[i][f], `${path}: certificate ${i} ${f}`);
    });
    assert.deepEqual(fast.crls, full.crls, path);
    assert.deepEqual(fast.csrs, full.csrs, path);
    assert.deepEqual(fast.problems, full.problems, path);
    assert.equal(fast.store.count, full.certificates.length);
    if (full.certificates.length) {
      const last = full.certificates.length - 1;
      assert.deepEqual(fast.store.detail(last), full.certificates[last], `${path}: detail`);
    }
    assert.throws(() => fast.store.detail(full.certificates.length), RangeError);
    fast.store.free();
    certs += full.certificates.length;
  }
  assert.ok(certs > 50, `${certs} certificates`);
});

test('a string works like bytes, and bad input is a problem, never a throw', () => {
  const pem = readFileSync(join(data, 'chain/bundle-shuffled.pem'), 'utf8');
  const a = mod.parseCertificateSummaries(pem, 'b.pem');
  const b = mod.parseCertificateSummaries(new TextEncoder().encode(pem), 'b.pem');
  assert.deepEqual(a.certificates, b.certificates);
  assert.ok(a.certificates.length >= 3);
  const bad = mod.parseCertificateSummaries(42);
  assert.deepEqual(bad.certificates, []);
  assert.match(bad.problems[0].message, /string, a Uint8Array or an ArrayBuffer/);
  const junk = mod.parseCertificateSummaries('hello');
  assert.equal(junk.problems.length, 1);
});

test('summarizeCertificatesJson is the same result as one JSON string', () => {
  const pem = readFileSync(join(data, 'chain/bundle-shuffled.pem'), 'utf8');
  const json = JSON.parse(mod.summarizeCertificatesJson(pem, 'b.pem'));
  const fast = mod.parseCertificateSummaries(pem, 'b.pem');
  assert.deepEqual(json.certificates, fast.certificates);
  assert.deepEqual(json.problems, fast.problems);
  assert.deepEqual(Object.keys(json).sort(), ['certificates', 'crls', 'csrs', 'problems']);
});
