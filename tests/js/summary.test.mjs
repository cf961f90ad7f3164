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


/** A fast-path result holds the same CRLs, CSRs and problems as the full parse, and its store
 * gives the full detail of the last certificate. */
function assertSameBesideCertificates(fast, full, path) {
  assert.deepEqual(fast.crls, full.crls, path);
  assert.deepEqual(fast.csrs, full.csrs, path);
  assert.deepEqual(fast.problems, full.problems, path);
  assert.equal(fast.store.count, full.certificates.length);
  if (full.certificates.length) {
    const last = full.certificates.length - 1;
    assert.deepEqual(fast.store.detail(last), full.certificates[last], `${path}: detail`);
  }
}

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
    assertSameBesideCertificates(fast, full, path);
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

// parseCertificateTable: the same summaries as columns, read field by field or built on access.
const COLUMN_FIELDS = FIELDS; // every CertificateSummary field is also a table method

test('parseCertificateTable agrees with parseCertificates on every committed vector and the trust store', () => {
  const inputs = files(data).map((p) => [p, new Uint8Array(readFileSync(p))]);
  let trustStore = null;
  try {
    trustStore = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
    inputs.push(['ca-certificates.crt', trustStore]); // as a string: names outside ASCII
  } catch {
    // no system trust store on this machine: the committed vectors still run
  }
  let certs = 0;
  for (const [path, input] of inputs) {
    const full = mod.parseCertificates(input, path);
    const fast = mod.parseCertificateTable(input, path);
    const t = fast.certificates;
    assert.equal(t.length, full.certificates.length, path);
    full.certificates.forEach((c, i) => {
      const s = t.get(i);
      assert.deepEqual(Object.keys(s), FIELDS, `${path}: keys in the documented order`);
      for (const f of COLUMN_FIELDS) {
        assert.deepEqual(s[f], c[f], `${path}: certificate ${i} ${f}`);
        assert.deepEqual(t[f](i), c[f], `${path}: certificate ${i} ${f}()`);
      }
    });
    assert.deepEqual([...t], t.toArray());
    assertSameBesideCertificates(fast, full, path);
    fast.store.free();
    certs += full.certificates.length;
  }
  assert.ok(certs > 50, `${certs} certificates`);
  if (trustStore) {
    // The same table as the JSON fast path, certificate for certificate.
    const table = mod.parseCertificateTable(trustStore, 'ca');
    const summaries = mod.parseCertificateSummaries(trustStore, 'ca');
    assert.ok(table.certificates.length > 100);
    assert.deepEqual(table.certificates.toArray(), summaries.certificates);
    assert.ok(summaries.certificates.some((s) => /[^\x00-\x7f]/.test(s.subjectDN)), 'a subject outside ASCII');
    table.store.free();
    summaries.store.free();
  }
});

test('parseCertificateTable: bad input is a problem, an index out of range a RangeError', () => {
  const bad = mod.parseCertificateTable(42);
  assert.equal(bad.certificates.length, 0);
  assert.deepEqual(bad.certificates.toArray(), []);
  assert.match(bad.problems[0].message, /string, a Uint8Array or an ArrayBuffer/);
  const junk = mod.parseCertificateTable('hello', 'junk.txt');
  assert.equal(junk.certificates.length, 0);
  assert.equal(junk.problems.length, 1);
  assert.equal(junk.problems[0].source, 'junk.txt');
  const pem = readFileSync(join(data, 'chain/bundle-shuffled.pem'));
  const t = mod.parseCertificateTable(pem.buffer.slice(pem.byteOffset, pem.byteOffset + pem.length), 'b.pem').certificates;
  assert.ok(t.length >= 3);
  for (const i of [t.length, -1, 0.5, '0', NaN]) {
    assert.throws(() => t.get(i), RangeError, String(i));
    assert.throws(() => t.subjectDN(i), /certificate index .* is out of range \(there are \d+ certificates\)/);
    assert.throws(() => t.warnings(i), RangeError);
  }
});

test('a string input with characters outside ASCII loads like its UTF-8 bytes', () => {
  const pem = `Zertifikat für Prüfung 🔐 \ud800\n${readFileSync(join(data, 'chain/leaf.pem'), 'utf8')}`;
  const fromString = mod.parseCertificates(pem, 'x');
  const fromBytes = mod.parseCertificates(new TextEncoder().encode(pem), 'x');
  assert.equal(fromString.certificates.length, 1);
  assert.deepEqual(fromString, fromBytes);
  assert.deepEqual(mod.parseCertificateTable(pem, 'x').certificates.toArray(), mod.parseCertificateSummaries(pem, 'x').certificates);
});
