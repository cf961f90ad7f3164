// In-browser benchmark: key generation and CSR signing, certwright next to raw WebCrypto.
//   keygen, per algorithm, runs interleaved (order rotated every run) to reduce drift:
//     a. certwright generateKeyPair(alg): WebCrypto generateKey + exportKey('pkcs8') + import into wasm
//     b. raw WebCrypto generateKey (same parameters, extractable, sign+verify) + exportKey('pkcs8')
//     c. raw WebCrypto generateKey only
//     and, outside the timed a/b/c runs, importPrivateKey(PKCS#8 of b) alone: the wasm share of a - b.
//   CSR signing: createCsr(key, { subject: { commonName } }) with a P-256 and an RSA-2048 key, next
//     to raw WebCrypto sign (ECDSA P-256 SHA-256 / RSASSA-PKCS1-v1_5 SHA-256) of a message as long
//     as the CSR's CertificationRequestInfo (the bytes createCsr signs).
//   Main-thread blocking: 'longtask' entries (>= 50 ms tasks) overlapping certwright keygen calls.
// performance.now() is coarsened to 0.1 ms outside cross-origin isolation, so sub-millisecond
// operations (P-256/P-384 keygen, CSR signing, the wasm import) are timed in batches: one sample =
// one batch of `batch` back-to-back calls of one variant, divided by `batch`; the median is taken
// over the samples (`runs` of them).
// Results go to window.keysBenchResult (or { error } on failure) and are rendered as text.
import { generateKeyPair, createCsr, importPrivateKey, parseCertificates, version } from '/pkg/certwright.js';
import { initWasm, median, round, runBench, status, tick } from './page.js';

/** Measured samples, calls per sample and (untimed) warm-up calls per algorithm. RSA-4096 has no
 *  warm-up of its own: the same rsa / WebCrypto code paths are warmed by RSA-2048 and RSA-3072. */
const KEYGEN = [
  { alg: 'P-256', runs: 50, batch: 10, warmups: 5 },
  { alg: 'P-384', runs: 50, batch: 10, warmups: 5 },
  { alg: 'RSA-2048', runs: 15, batch: 1, warmups: 2 },
  { alg: 'RSA-3072', runs: 7, batch: 1, warmups: 1 },
  { alg: 'RSA-4096', runs: 5, batch: 1, warmups: 0 },
];
/** importPrivateKey calls per wasm-import sample (it is synchronous and well under 0.1 ms..few ms). */
const IMPORT_BATCH = 10;
const CSR_RUNS = 20;
const CSR_BATCH = 10;
const CSR_WARMUPS = 5;
const CSR_ALGS = ['P-256', 'RSA-2048'];
const TARGET_RATIO = 1.2;

const stats = (times) => ({
  medianMs: round(median(times), 3),
  minMs: round(Math.min(...times), 3),
  maxMs: round(Math.max(...times), 3),
  runsMs: times.map((x) => round(x, 3)),
});

// ---- long tasks -------------------------------------------------------------------------

const longTasks = [];
let longTaskSupported = false;
let observer = null;
try {
  if (PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
    observer = new PerformanceObserver((list) => { longTasks.push(...list.getEntries()); });
    observer.observe({ type: 'longtask', buffered: true });
    longTaskSupported = true;
  }
} catch {
  longTaskSupported = false;
}
/** [start, end, measured, calls] of every timed batch of certwright generateKeyPair calls. */
const certwrightWindows = [];
/** [start, end] of every timed batch of synchronous createCsr calls (for the page-wide long tasks). */
const csrWindows = [];
const overlaps = (e, [s, t]) => e.startTime < t && e.startTime + e.duration > s;

// ---- WebCrypto parameters ---------------------------------------------------------------

function genParams(alg) {
  if (alg.startsWith('RSA-')) {
    return { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(alg.slice(4)), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  }
  return { name: 'ECDSA', namedCurve: alg };
}
const signParams = (alg) => (alg.startsWith('RSA-') ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' });

// ---- the timed operations ---------------------------------------------------------------

/** a. certwright, `n` calls back to back; frees the keys (wasm keeps them in a table until freed). */
async function certwright(alg, n, measured) {
  const keys = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) keys.push(await generateKeyPair(alg));
  const t1 = performance.now();
  certwrightWindows.push([t0, t1, measured, n]);
  for (const key of keys) {
    const source = key.source;
    key.free();
    if (source !== 'webcrypto') throw new Error(`generateKeyPair(${alg}) used the ${source} path, not WebCrypto`);
  }
  return (t1 - t0) / n;
}

/** b. raw WebCrypto generate + export PKCS#8, `n` times; returns ms per call and the PKCS#8s. */
async function rawExport(alg, n) {
  const out = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const pair = await crypto.subtle.generateKey(genParams(alg), true, ['sign', 'verify']);
    out.push(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  }
  return [(performance.now() - t0) / n, out];
}

/** c. raw WebCrypto generate only, `n` times; ms per call. */
async function rawGenerate(alg, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await crypto.subtle.generateKey(genParams(alg), true, ['sign', 'verify']);
  return (performance.now() - t0) / n;
}

/** The wasm import alone (what generateKeyPair adds to b, bar the JS <-> wasm glue): ms per
 *  importPrivateKey call over IMPORT_BATCH calls cycling through `pkcs8s`. */
function importBatch(pkcs8s) {
  const inputs = pkcs8s.map((b) => new Uint8Array(b));
  const keys = [];
  const t0 = performance.now();
  for (let i = 0; i < IMPORT_BATCH; i++) keys.push(importPrivateKey(inputs[i % inputs.length]));
  const t = (performance.now() - t0) / IMPORT_BATCH;
  for (const key of keys) key.free();
  return t;
}

async function benchKeygen({ alg, runs, batch, warmups }) {
  for (let i = 0; i < warmups; i++) {
    status(`${alg}: warm-up ${i + 1}/${warmups}…`);
    await tick();
    await certwright(alg, 1, false);
    const [, pkcs8s] = await rawExport(alg, 1);
    importBatch(pkcs8s);
    await rawGenerate(alg, 1);
  }
  const cw = [];
  const rawExp = [];
  const rawGen = [];
  const imp = [];
  const variants = [
    async () => { cw.push(await certwright(alg, batch, true)); },
    async () => {
      const [t, pkcs8s] = await rawExport(alg, batch);
      rawExp.push(t);
      await tick();
      imp.push(importBatch(pkcs8s));
    },
    async () => { rawGen.push(await rawGenerate(alg, batch)); },
  ];
  for (let i = 0; i < runs; i++) {
    status(`${alg}: sample ${i + 1}/${runs} of ${batch} call(s) (certwright, raw generate+export, raw generate; interleaved)…`);
    for (let j = 0; j < variants.length; j++) {
      await tick();
      await variants[(i + j) % variants.length]();
    }
  }
  const a = median(cw);
  const b = median(rawExp);
  const c = median(rawGen);
  const w = median(imp);
  return {
    algorithm: alg,
    runs,
    batch,
    calls: runs * batch,
    warmups,
    certwright: stats(cw),
    rawGenerateExport: stats(rawExp),
    rawGenerateOnly: stats(rawGen),
    wasmImport: stats(imp),
    ratio: round(a / b, 3),
    ratioVsGenerateOnly: round(a / c, 3),
    // What the ratio would be if certwright cost exactly raw generate+export plus the wasm import:
    // the deterministic part, free of the prime-search randomness that dominates RSA medians.
    ratioFromImport: round((b + w) / b, 3),
    overheadMs: round(a - b, 3),
    withinTarget: a / b <= TARGET_RATIO,
  };
}

// ---- CSR signing ------------------------------------------------------------------------

/** Length in bytes of the first element (header included) inside the outer DER SEQUENCE. */
function firstElementLength(der) {
  const header = (at) => {
    const first = der[at + 1];
    if (first < 0x80) return [2, first];
    const n = first & 0x7f;
    let len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + der[at + 2 + k];
    return [2 + n, len];
  };
  const [outerHeader] = header(0);
  const [h, len] = header(outerHeader);
  return h + len;
}

function pemToDer(pem) {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

async function benchCsr(alg) {
  status(`CSR ${alg}: generating keys…`);
  await tick();
  const key = await generateKeyPair(alg);
  const raw = await crypto.subtle.generateKey(genParams(alg), true, ['sign', 'verify']);
  const params = { subject: { commonName: 'certwright-bench.example' } };
  const first = createCsr(key, params);
  if (!first.pem || first.errors.length) throw new Error(`createCsr(${alg}): ${JSON.stringify(first.errors)}`);
  const parsed = parseCertificates(first.pem, 'csr').csrs[0];
  if (!parsed || !parsed.signatureValid) throw new Error(`createCsr(${alg}) made a CSR whose signature does not verify`);
  const der = pemToDer(first.pem);
  const messageBytes = firstElementLength(der);
  const message = crypto.getRandomValues(new Uint8Array(messageBytes));
  const sp = signParams(alg);

  const cw = [];
  const rs = [];
  // Each returns ms per call over `n` calls back to back.
  const once = {
    cw: (n = CSR_BATCH) => {
      let ok = true;
      const t0 = performance.now();
      for (let k = 0; k < n; k++) ok = !!createCsr(key, params).pem && ok;
      const t1 = performance.now();
      csrWindows.push([t0, t1]);
      const t = (t1 - t0) / n;
      if (!ok) throw new Error(`createCsr(${alg}) failed`);
      return t;
    },
    raw: async (n = CSR_BATCH) => {
      const t0 = performance.now();
      for (let k = 0; k < n; k++) await crypto.subtle.sign(sp, raw.privateKey, message);
      return (performance.now() - t0) / n;
    },
  };
  for (let i = 0; i < CSR_WARMUPS; i++) { once.cw(1); await once.raw(1); }
  for (let i = 0; i < CSR_RUNS; i++) {
    status(`CSR ${alg}: run ${i + 1}/${CSR_RUNS}…`);
    await tick();
    if (i % 2) { rs.push(await once.raw()); await tick(); cw.push(once.cw()); } else { cw.push(once.cw()); await tick(); rs.push(await once.raw()); }
  }
  key.free();
  return {
    algorithm: alg,
    signature: alg.startsWith('RSA-') ? 'RSASSA-PKCS1-v1_5 SHA-256' : 'ECDSA P-256 SHA-256',
    runs: CSR_RUNS,
    batch: CSR_BATCH,
    csrBytes: der.length,
    messageBytes,
    signatureValid: parsed.signatureValid,
    certwright: stats(cw),
    rawSign: stats(rs),
    ratio: round(median(cw) / median(rs), 3),
  };
}

// ---- main -------------------------------------------------------------------------------

async function main() {
  const t0 = performance.now();
  await initWasm();
  if (!globalThis.crypto?.subtle) throw new Error('crypto.subtle is not available (needs a secure context: http://127.0.0.1 or https)');

  const keygen = [];
  for (const spec of KEYGEN) keygen.push(await benchKeygen(spec));
  const csr = [];
  for (const alg of CSR_ALGS) csr.push(await benchCsr(alg));

  await tick();
  if (observer) longTasks.push(...observer.takeRecords());
  const inWindows = (measured) => longTasks.filter((e) => certwrightWindows.some((w) => w[2] === measured && overlaps(e, w)));
  const measuredLong = inWindows(true);
  const warmLong = inWindows(false);
  const csrLong = longTasks.filter((e) => csrWindows.some((w) => overlaps(e, w)));
  const maxOf = (es) => round(es.reduce((m, e) => Math.max(m, e.duration), 0), 1);
  const result = {
    userAgent: navigator.userAgent,
    certwrightVersion: version(),
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    targetRatio: TARGET_RATIO,
    keygen,
    csr,
    longTasks: {
      supported: longTaskSupported,
      certwrightKeygenMaxMs: maxOf(measuredLong),
      certwrightKeygenCount: measuredLong.length,
      certwrightKeygenCalls: certwrightWindows.filter((w) => w[2]).reduce((n, w) => n + w[3], 0),
      certwrightWarmupMaxMs: maxOf(warmLong),
      csrBatchMaxMs: maxOf(csrLong),
      csrBatchCount: csrLong.length,
      pageMaxMs: maxOf(longTasks),
      pageCount: longTasks.length,
    },
    totalSeconds: round((performance.now() - t0) / 1e3, 1),
  };

  const f = (x) => x.toFixed(3);
  const lines = [
    `certwright ${result.certwrightVersion} — ${navigator.userAgent}`,
    '',
    'key generation, median ms (runs interleaved: certwright / raw generate+export / raw generate only)',
  ];
  for (const k of keygen) {
    lines.push(`  ${k.algorithm.padEnd(8)}  certwright ${f(k.certwright.medianMs).padStart(8)}  raw gen+export ${f(k.rawGenerateExport.medianMs).padStart(8)}` +
      `  raw gen ${f(k.rawGenerateOnly.medianMs).padStart(8)}  ratio ${k.ratio.toFixed(2)}x  (wasm import alone ${f(k.wasmImport.medianMs)}; ${k.runs} x ${k.batch} calls)`);
  }
  lines.push('', 'CSR signing, median ms');
  for (const c of csr) {
    lines.push(`  ${c.algorithm.padEnd(8)}  createCsr ${f(c.certwright.medianMs).padStart(8)}  raw sign (${c.messageBytes} B) ${f(c.rawSign.medianMs).padStart(8)}  ratio ${c.ratio.toFixed(2)}x  (${c.runs} x ${c.batch} calls)`);
  }
  lines.push('', result.longTasks.supported
    ? `longest main-thread task during certwright keygen: ${result.longTasks.certwrightKeygenMaxMs} ms (${result.longTasks.certwrightKeygenCount} long tasks over ${result.longTasks.certwrightKeygenCalls} calls; warm-ups ${result.longTasks.certwrightWarmupMaxMs} ms; batches of ${CSR_BATCH} createCsr ${result.longTasks.csrBatchMaxMs} ms; whole page ${result.longTasks.pageMaxMs} ms)`
    : 'long tasks: PerformanceObserver "longtask" not supported here');
  return { result, lines };
}

runBench('keysBenchResult', main);
