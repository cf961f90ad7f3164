// Akamai CA-set pieces of the JS module: validation in Akamai's shape, duplicate versions,
// comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const pem = (rel) => readFileSync(fileURLToPath(new URL(`tests/data/${rel}`, root)), 'utf8');
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });
const NOW = 1767225600; // 2026-01-01

test('validateCaSetVersion answers in Akamai\'s shape with pointers to the certificates', () => {
  const body = { allowInsecureSha1: false, certificates: [{ certificatePem: pem('chain/root.pem') }, { certificatePem: pem('chain/leaf.pem') }, { certificatePem: pem('chain/root.pem') }] };
  const v = mod.validateCaSetVersion(body, NOW);
  assert.deepEqual(Object.keys(v).sort(), ['errors', 'notices', 'warnings']);
  assert.deepEqual(v.errors.map((e) => [e.type, e.pointer]), [['/mtls-edge-truststore/error-types/not-a-ca-certificate', '/certificates/1']]);
  assert.deepEqual(v.warnings.map((e) => [e.type, e.pointer]), [['/mtls-edge-truststore/error-types/duplicate-certificate', '/certificates/2']]);
  const expired = mod.validateCaSetVersion({ certificates: [{ certificatePem: pem('chain/root.pem') }] }, 2082758400);
  assert.equal(expired.errors[0].title, 'The certificate has expired.');
  assert.equal(mod.validateCaSetVersion({ nope: 1 }, NOW).errors[0].type, '/mtls-edge-truststore/error-types/invalid-request');
});

test('findDuplicateVersion and compareVersions', () => {
  const a = { certificates: [{ certificatePem: pem('chain/root.pem') }, { certificatePem: pem('chain/intermediate.pem') }] };
  const b = { allowInsecureSha1: true, certificates: [{ certificatePem: pem('chain/intermediate.pem') }, { certificatePem: pem('chain/root.pem') }] };
  const existing = [{ version: 1, certificates: [{ certificatePem: pem('chain/root.pem') }], stagingStatus: 'ACTIVE' }, { version: 2, ...a }];
  assert.equal(mod.findDuplicateVersion(b, existing), 2);
  assert.equal(mod.findDuplicateVersion({ certificates: [{ certificatePem: pem('chain/intermediate.pem') }] }, existing), undefined);
  const diff = mod.compareVersions(existing[0], b);
  assert.equal(diff.added.length, 1);
  assert.equal(diff.unchanged.length, 1);
  assert.deepEqual(diff.removed, []);
  assert.match(diff.added[0].fingerprint, /^[0-9a-f]{64}$/);
});
