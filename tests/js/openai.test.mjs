// OpenAI pieces of the JS module: the rule pack (checkOpenAiCa, checkOpenAiClientCertificate,
// checkOpenAiCertificate), activation batches, the delete guard, fingerprints from content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const pem = (rel) => readFileSync(fileURLToPath(new URL(`tests/data/${rel}`, root)), 'utf8');
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });
const NOW = 1767225600; // 2026-01-01
const [rootCa, intermediate, leaf] = ['chain/root.pem', 'chain/intermediate.pem', 'chain/leaf.pem'].map(pem);
const fields = (findings) => findings.map((f) => f.field);

test('checkOpenAiCa: a good CA passes, the 50 cap counts what is listed, a leaf is refused per field', () => {
  assert.deepEqual(mod.checkOpenAiCa(rootCa, { now: NOW }), []);
  assert.deepEqual(mod.checkOpenAiCa(new TextEncoder().encode(rootCa)), [], 'bytes and the current time work too');
  const full = mod.checkOpenAiCa(rootCa, { listedCount: 50, now: NOW });
  assert.deepEqual(fields(full), ['organization']);
  assert.equal(full[0].severity, 'error');
  const notCa = mod.checkOpenAiCa(leaf, { now: NOW });
  assert.deepEqual(fields(notCa), ['basicConstraints', 'keyUsage']);
  assert.match(notCa[1].message, /keyCertSign and cRLSign/);
  assert.deepEqual(fields(mod.checkOpenAiCa('not a certificate')), ['certificate']);
});

test('checkOpenAiClientCertificate: directly signed by an uploaded CA, no longer chain', () => {
  const byRoot = mod.checkOpenAiClientCertificate(leaf, [rootCa], { now: NOW });
  assert.deepEqual(fields(byRoot), ['issuer', 'keyUsage']);
  assert.match(byRoot[0].message, /not one of the uploaded CAs/);
  assert.match(byRoot[1].message, /keyEncipherment/);
  const chain = mod.checkOpenAiClientCertificate(leaf + intermediate, [rootCa], { now: NOW });
  assert.deepEqual(fields(chain), ['issuer', 'certificate', 'keyUsage']);
  assert.match(chain[0].message, /intermediate/);
  const inactive = mod.checkOpenAiClientCertificate(leaf, [{ pem: intermediate, id: 'cert_int', active: false }]);
  assert.match(inactive[0].message, /cert_int .* is not active at the chosen scope/);
});

test('checkOpenAiCertificate with options', () => {
  const client = mod.checkOpenAiCertificate(leaf, { kind: 'client', uploadedCas: [{ pem: intermediate, id: 'cert_int' }], activeCaIds: ['cert_int'], now: NOW });
  assert.deepEqual(fields(client.findings), ['keyUsage']);
  const notActive = mod.checkOpenAiCertificate(leaf, { kind: 'client', uploadedCas: [{ pem: intermediate, id: 'cert_int' }], activeCaIds: [], now: NOW });
  assert.deepEqual(fields(notActive.findings), ['issuer', 'keyUsage']);
  assert.deepEqual(mod.checkOpenAiCertificate(rootCa, { kind: 'ca', listedCount: 3, now: NOW }).findings, []);
  assert.deepEqual(fields(mod.checkOpenAiCertificate(rootCa, { kind: 'server' }).findings), ['options.kind']);
  assert.deepEqual(fields(mod.checkOpenAiCertificate(rootCa, 5).findings), ['options']);
});

test('openAiBatches, openAiDeleteGuard, openAiCertificateFacts', () => {
  const ids = Array.from({ length: 11 }, (_, i) => `cert_${i}`);
  assert.deepEqual(mod.openAiBatches([...ids, 'cert_0']).map((b) => b.length), [10, 1]);
  const state = { organization: ['cert_a'], projects: { proj_1: ['cert_a', 'cert_b'], proj_2: [] } };
  const refused = mod.openAiDeleteGuard('cert_a', state);
  assert.deepEqual([refused.organization, refused.projects], [true, ['proj_1']]);
  assert.match(refused.message, /active at the organization and in project proj_1/);
  assert.equal(mod.openAiDeleteGuard('cert_c', state), null);
  const facts = mod.openAiCertificateFacts({ object: 'certificate', id: 'cert_r', name: null, created_at: 1, certificate_details: { content: rootCa } }, NOW);
  assert.equal(facts.sha256Fingerprint, mod.parseCertificates(rootCa).certificates[0].sha256Fingerprint);
  assert.equal(facts.daysLeft, 3287);
  assert.throws(() => mod.openAiCertificateFacts({ id: 5 }), /object|id/);
});
