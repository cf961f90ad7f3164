// OpenAiClient against the vendor emulator (OpenAI only, on a free loopback port) through
// globalThis.fetch: upload, get with content, rename, delete, paging across pages, activation
// batches of 10 at organization and project scope, OpenAI's error object with the request id,
// one 429 retried and a second reported, and no admin key in any error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, startEmulator, assertNoSecret } from './emulator.mjs';

const mod = await loadModule();
const emu = await startEmulator('openai');
after(() => emu.stop());
const KEY = 'sk-admin-emulator-0000000000000000';
const WRONG = 'sk-admin-wrong-key-do-not-echo-1234';
const base = `${emu.url}/v1`;
const now = Math.floor(Date.now() / 1000);
const key = await mod.generateKeyPair('P-256');
let n = 0;
function ca() {
  n += 1;
  const params = { ...mod.profileDefaults('openaiMtlsCa', now - 60), subject: { commonName: `Test mTLS CA ${n}`, organization: 'Example', country: 'US' } };
  const r = mod.issueCertificate({ profile: 'openaiMtlsCa', params, subjectKey: key });
  assert.deepEqual(r.errors, []);
  return r.pem;
}
const rejection = async (p) => { try { await p; } catch (e) { return e; } assert.fail('expected a rejection'); };

test('the constructor checks the base URL and the admin key, never echoing the key', async () => {
  assert.equal(new mod.OpenAiClient({ adminKey: KEY }).baseUrl, 'https://api.openai.com/v1');
  for (const baseUrl of ['http://example.com/v1', 'http://localhost.evil.example/v1', 'ftp://x']) {
    let e;
    try { new mod.OpenAiClient({ baseUrl, adminKey: KEY }); } catch (err) { e = err; }
    assert.ok(e instanceof Error, baseUrl);
    assert.equal(e.kind, 'invalid');
    assert.equal(e.field, 'baseUrl');
    assertNoSecret(assert, e, [KEY]);
  }
  assert.throws(() => new mod.OpenAiClient({ baseUrl: base }), (e) => e.field === 'adminKey' && /required/.test(e.message));
  const c = new mod.OpenAiClient({ baseUrl: base, adminKey: KEY });
  assert.equal(c.adminKey, undefined, 'no getter exposes the key');
  assert.ok(!Object.keys(c).some((k) => /key/i.test(k)));
});

test('upload, get with content, rename, list a page as OpenAI sends it, delete', async () => {
  await emu.control('POST', 'reset');
  const c = new mod.OpenAiClient({ baseUrl: base, adminKey: KEY });
  const pem = ca();
  const up = await c.uploadCertificate({ certificate: pem, name: 'first' });
  assert.match(up.id, /^cert_[0-9a-f]{24}$/);
  assert.equal(up.name, 'first');
  const got = await c.getCertificate(up.id, { includeContent: true });
  assert.equal(got.certificate_details.content.trim(), pem.trim());
  assert.ok(!(await c.getCertificate(up.id)).certificate_details.content);
  assert.equal((await c.renameCertificate(up.id, 'renamed')).name, 'renamed');
  await c.uploadCertificate({ certificate: ca() });
  const page = await c.listCertificates({ limit: 1, order: 'asc' });
  assert.equal(page.object, 'list');
  assert.equal(page.data.length, 1);
  assert.equal(page.data[0].id, up.id);
  assert.equal(page.has_more, true);
  assert.equal(page.last_id, up.id);
  const next = await c.listCertificates({ limit: 1, order: 'asc', after: page.last_id });
  assert.equal(next.has_more, false);
  assert.deepEqual(await c.deleteCertificate(up.id), { object: 'certificate.deleted', id: up.id });
  assert.equal((await c.listCertificates()).data.length, 1);
  const bad = await rejection(c.listCertificates({ limit: 101 }));
  assert.equal(bad.kind, 'invalid');
  assert.equal(bad.field, 'limit');
});

test('listAllCertificates walks more than one page; 11 activations go out as 2 calls, each reported', async () => {
  await emu.control('POST', 'reset');
  await emu.control('POST', 'config', { openaiCertificateLimit: 150, openaiProjects: ['proj_alpha'] });
  const c = new mod.OpenAiClient({ baseUrl: base, adminKey: KEY });
  const ids = [];
  for (let i = 0; i < 103; i++) ids.push((await c.uploadCertificate({ certificate: ca(), name: `ca ${i}` })).id);
  const all = await c.listAllCertificates();
  assert.equal(all.items.length, 103);
  assert.equal(all.pages, 2);
  assert.equal(all.stopped, null);
  assert.deepEqual(new Set(all.items.map((x) => x.id)), new Set(ids));

  const eleven = ids.slice(0, 11);
  const reports = await c.activateCertificates(eleven);
  assert.deepEqual(reports.map((r) => r.ids.length), [10, 1]);
  assert.deepEqual(reports.flatMap((r) => r.ids), eleven);
  assert.ok(reports.every((r) => r.ok && r.error === null));
  assert.equal(reports[0].result.data.length, 10);
  const project = await c.activateCertificates(eleven.slice(0, 3), { projectId: 'proj_alpha' });
  assert.deepEqual(project.map((r) => r.ids.length), [3]);
  const listed = await c.listProjectCertificates('proj_alpha', { limit: 100, order: 'asc' });
  assert.deepEqual(new Set(listed.data.filter((x) => x.active).map((x) => x.id)), new Set(eleven.slice(0, 3)));
  const seen = (await emu.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/activate'));
  assert.deepEqual(seen.map((r) => r.path), [
    '/v1/organization/certificates/activate',
    '/v1/organization/certificates/activate',
    '/v1/organization/projects/proj_alpha/certificates/activate',
  ]);
  const off = await c.deactivateCertificates(eleven);
  assert.deepEqual(off.map((r) => [r.ids.length, r.ok]), [[10, true], [1, true]]);
  // A batch that fails is reported with its error; the other batches still go out.
  const mixed = await c.deactivateCertificates(['cert_000000000000000000000000'], { projectId: 'proj_missing' });
  assert.equal(mixed.length, 1);
  assert.equal(mixed[0].ok, false);
  assert.equal(mixed[0].error.status, 404);
  assert.deepEqual(await c.activateCertificates([]), []);
});

test('failures reject with OpenAI\'s error object, the request id, and no admin key', async () => {
  const c = new mod.OpenAiClient({ baseUrl: base, adminKey: KEY });
  const missing = await rejection(c.getCertificate('cert_000000000000000000000000'));
  assert.ok(missing instanceof Error);
  assert.equal(missing.kind, 'api');
  assert.equal(missing.status, 404);
  assert.equal(missing.param, 'certificate_id');
  assert.match(missing.requestId, /\S/);
  assert.ok(missing.message.includes(missing.requestId), missing.message);
  assert.match(missing.message, /OpenAI answered http 404: No certificate found/);
  assert.equal(missing.body.error.param, 'certificate_id');
  assertNoSecret(assert, missing, [KEY]);

  const wrong = new mod.OpenAiClient({ baseUrl: base, adminKey: WRONG });
  const denied = await rejection(wrong.listCertificates());
  assert.equal(denied.status, 401);
  assert.equal(denied.code, 'invalid_api_key');
  assertNoSecret(assert, denied, [WRONG, KEY]);

  const dup = ca();
  await c.uploadCertificate({ certificate: dup });
  const conflict = await rejection(c.uploadCertificate({ certificate: dup }));
  assert.equal(conflict.status, 409);
  assert.equal(conflict.code, 'certificate_already_exists');

  // A 429 is retried once after OpenAI's reset header (the wait runs on setTimeout); a second
  // one rejects as rateLimited with the request id.
  await emu.control('POST', 'faults', { status: 429, count: 1, retryAfterMs: 50 });
  assert.equal((await c.listCertificates({ limit: 1 })).object, 'list');
  await emu.control('POST', 'faults', { status: 429, count: 2, retryAfterMs: 50 });
  const limited = await rejection(c.listCertificates({ limit: 1 }));
  assert.equal(limited.kind, 'rateLimited');
  assert.equal(limited.status, 429);
  assert.equal(limited.code, 'rate_limit_exceeded');
  assert.match(limited.requestId, /\S/);
  assertNoSecret(assert, limited, [KEY]);

  // No response at all: a transport error naming the URL, not the key.
  const nowhere = new mod.OpenAiClient({ baseUrl: 'http://127.0.0.1:1/v1', adminKey: KEY });
  const down = await rejection(nowhere.listCertificates());
  assert.equal(down.kind, 'transport');
  assert.match(down.message, /GET http:\/\/127\.0\.0\.1:1\/v1\/organization\/certificates/);
  assertNoSecret(assert, down, [KEY]);
});
