// EdgeGrid signing through the JS module, against the values Akamai's edgegrid-python computes
// for the same request (tests/edgegrid.rs holds them and how they were made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const mod = await import(new URL('pkg/certwright.js', root));
mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });

// Made-up credentials (tests/edgegrid.rs); 2025-08-05T09:45:36Z and a fixed nonce.
const edgerc = `[default]
host = akab-gpeb7yvrl4d2mnwf-3xyqkt6hcjzo5s2u.luna.akamaiapis.net
client_token = akab-fxw3q4khzcyuvn2d-7tmbopr6sjl5aeig
client_secret = Xq2mV9c0t7Lk3Rb8ZpW4nYs1HfGd6JeUoA5iQxTr+/E=
access_token = akab-c2hq7a5lsypmzr4e-vwnj3k6ofdxtb8gi
`;
const fixed = { timestamp: 1754387136, nonce: '1f0e6a4c-7f1a-4b8e-9f5b-2c3d4e5f6a7b' };

test('signEdgeGrid matches edgegrid-python, with and without accountSwitchKey', () => {
  const a = mod.signEdgeGrid({ edgerc, method: 'GET', pathAndQuery: '/mtls-edge-truststore/v2/ca-sets?caSetNamePrefix=prod&activatedOn=STAGING%2BPRODUCTION', headers: { Accept: 'application/json' }, ...fixed });
  assert.equal(a.timestamp, '20250805T09:45:36+0000');
  assert.match(a.authorization, /^EG1-HMAC-SHA256 client_token=akab-fxw3q4khzcyuvn2d-7tmbopr6sjl5aeig;access_token=akab-c2hq7a5lsypmzr4e-vwnj3k6ofdxtb8gi;timestamp=20250805T09:45:36\+0000;nonce=1f0e6a4c-7f1a-4b8e-9f5b-2c3d4e5f6a7b;/);
  assert.ok(a.authorization.endsWith('signature=VM1L04h7n57fo1bjlBZjvVHELkFT/PHysSp1tCxMEt8='), a.authorization);
  const b = mod.signEdgeGrid({ edgerc, method: 'GET', pathAndQuery: '/mtls-edge-truststore/v2/ca-sets/12345/versions?includeCertificates=true', accountSwitchKey: '1-5C0YLB:1-8BYUX', ...fixed });
  assert.equal(b.pathAndQuery, '/mtls-edge-truststore/v2/ca-sets/12345/versions?includeCertificates=true&accountSwitchKey=1-5C0YLB%3A1-8BYUX');
  assert.ok(b.authorization.endsWith('signature=EbIVCNkMYhZ3UJRUcSFmmdg9Y2F4J2L6dkYIwJuBMZM='), b.authorization);
  assert.ok(!JSON.stringify(a).includes('Xq2mV9c0t7Lk3Rb8ZpW4nYs1HfGd6JeUoA5iQxTr'), 'the client secret is never returned');
});

test('missing credentials are clear errors that never echo secrets', () => {
  assert.throws(() => mod.signEdgeGrid({ method: 'GET', pathAndQuery: '/' }), /give `edgerc` text or `credentials`/);
  assert.throws(() => mod.signEdgeGrid({ edgerc: edgerc.replace(/^access_token.*$/m, ''), method: 'GET', pathAndQuery: '/' }),
    (e) => /access_token/.test(e.message) && !e.message.includes('Xq2mV9c0'));
  const fresh = mod.signEdgeGrid({ edgerc, method: 'GET', pathAndQuery: '/' });
  assert.match(fresh.nonce, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
