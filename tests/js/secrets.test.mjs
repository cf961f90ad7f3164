// No private key material in any message of the JS module (pkg/, built by scripts/build-pkg.sh):
// keys of every kind (PKCS#8 RSA and EC, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC) pasted multi-line,
// on one line, as JSON with literal \n, truncated or with damaged markers go through
// importPrivateKey (its thrown Error: message and stack) and parseCertificates (the whole result)
// and issueCertificate's PEM fields. No 16-character run of the key's base64 may appear, nor the
// password. One-line and JSON-escaped keys import as the same key. The native twin of this test is
// tests/secrets.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const data = (rel) => readFileSync(fileURLToPath(new URL(`tests/data/${rel}`, root)), 'utf8');
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });

const PASSWORD = 'correct horse battery';

function keys() {
  const rsa = data('keys/csr-rsa.key.pem');
  const ec = data('keys/csr-ec.key.pem');
  const rsaPair = mod.importPrivateKey(rsa);
  const ecPair = mod.importPrivateKey(ec);
  return [
    { kind: 'PKCS#8 RSA', pem: rsa, spki: rsaPair.publicKeyPem() },
    { kind: 'PKCS#8 EC', pem: ec, spki: ecPair.publicKeyPem() },
    { kind: 'encrypted PKCS#8 EC', pem: mod.exportPrivateKey(ecPair, { password: PASSWORD, kdf: 'pbkdf2' }), spki: ecPair.publicKeyPem(), encrypted: true },
    { kind: 'PKCS#1 RSA', pem: createPrivateKey(rsa).export({ type: 'pkcs1', format: 'pem' }), spki: rsaPair.publicKeyPem() },
    { kind: 'SEC1 EC', pem: createPrivateKey(ec).export({ type: 'sec1', format: 'pem' }), spki: ecPair.publicKeyPem() },
  ].map((k) => {
    const lines = k.pem.trim().split('\n');
    return { ...k, label: lines[0].slice('-----BEGIN '.length, -5), b64: lines.slice(1, -1).join('') };
  });
}

function variants(k) {
  const pem = k.pem.trim();
  const begin = `-----BEGIN ${k.label}-----`;
  const end = `-----END ${k.label}-----`;
  const json = pem.replaceAll('\n', '\\n');
  const half = (s) => s.slice(0, Math.floor(s.length / 2));
  return [
    ['multi-line', k.pem, true],
    ['one line, spaces', `${begin} ${k.b64} ${end}`, true],
    ['one line, no spaces', `${begin}${k.b64}${end}`, true],
    ['JSON \\n', JSON.stringify({ private_key: pem + '\n' }), true],
    ['env var', `PRIVATE_KEY="${json}"`, true],
    ['truncated', half(pem), false],
    ['truncated one line', half(`${begin} ${k.b64} ${end}`), false],
    ['truncated JSON', half(json), false],
    ['BEGIN without closing dashes, one line', `-----BEGIN ${k.label} ${k.b64} ${end}`, false],
    ['END damaged', pem.replace(end, end.slice(0, -1)), false],
    ['END label differs', pem.replace(end, '-----END CERTIFICATE-----'), false],
    ['labelled CERTIFICATE', pem.replaceAll(k.label, 'CERTIFICATE'), false],
    ['label with the key in it', `-----BEGIN ${k.label} ${k.b64.toUpperCase()}-----\n${k.b64}\n${end}`, false],
    ['bare base64', k.b64, false],
  ];
}

function assertClean(text, k, what) {
  for (let i = 0; i + 16 <= k.b64.length; i++) {
    const run = k.b64.slice(i, i + 16);
    assert.ok(!text.includes(run), `${k.kind} / ${what}: shows key material ${run}:\n${text}`);
  }
  assert.ok(!text.includes(PASSWORD), `${k.kind} / ${what}: shows the password`);
  assert.ok(!text.includes(`\`${k.label}\``), `${k.kind} / ${what}: quotes the label`);
}

test('importPrivateKey errors never show key material; one-line and JSON keys import', () => {
  for (const k of keys()) {
    for (const [name, input, loads] of variants(k)) {
      for (const password of [undefined, PASSWORD, 'wrong password']) {
        try {
          const pair = mod.importPrivateKey(input, password);
          assert.equal(pair.publicKeyPem(), k.spki, `${k.kind} / ${name}: a different key`);
        } catch (e) {
          assert.ok(!loads || (k.encrypted && password !== PASSWORD), `${k.kind} / ${name}: ${e.message}`);
          assertClean(`${e.message}\n${e.stack}\n${String(e)}`, k, name);
        }
      }
      // The same through bytes.
      try { mod.importPrivateKey(new TextEncoder().encode(input)); } catch (e) { assertClean(e.message, k, `${name} (bytes)`); }
    }
  }
});

test('parseCertificates skips private keys in every shape without echoing them', () => {
  for (const k of keys()) {
    for (const [name, input, loads] of variants(k)) {
      const result = mod.parseCertificates(input, 'paste');
      assertClean(JSON.stringify(result), k, name);
      assert.equal(result.certificates.length, 0);
      if (loads) {
        assert.deepEqual(result.problems.map((p) => p.message), ['a private key block was skipped: the inspector loads certificates, CRLs and CSRs only'], `${k.kind} / ${name}`);
      }
    }
  }
});

test('PEM fields of issueCertificate and issueCrl never echo a key pasted into them', async () => {
  const ca = await mod.generateKeyPair('P-256');
  const now = Math.floor(Date.now() / 1000);
  const params = mod.profileDefaults('openaiClient', now - 60);
  for (const k of keys()) {
    for (const [name, input] of variants(k)) {
      for (const call of [
        () => mod.issueCertificate({ profile: 'openaiClient', params, csrPem: input, issuerCertificatePem: input, issuerKey: ca }),
        () => mod.issueCertificate({ params, subjectKey: ca, issuerCertificatePem: input, issuerKey: ca }),
        () => mod.issueCrl({ issuerCertificatePem: input, revoked: [], thisUpdate: now, nextUpdate: now + 86400, crlNumber: 1 }, ca),
      ]) {
        let text;
        try { text = JSON.stringify(call()); } catch (e) { text = `${e.message}\n${e.stack}`; }
        assertClean(text, k, name);
      }
    }
  }
});
