// Runs the key generation benchmark (/bench/keys.html on the local server) in headless Chromium
// and prints a table.
//   node tests/e2e/bench/keys-run.mjs [--url http://127.0.0.1:8092/bench/keys.html]
import { arg, executablePath, runBenchPage } from './chromium.mjs';

const url = arg('--url', 'http://127.0.0.1:8092/bench/keys.html');

const { result, version } = await runBenchPage(url, 'keysBenchResult', 10 * 60_000);

const f = (x) => x.toFixed(3);
const table = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
};

console.log(`Chromium: ${version} (${executablePath}), headless; navigator.hardwareConcurrency ${result.hardwareConcurrency}; ` +
  `crossOriginIsolated ${result.crossOriginIsolated} (performance.now() ${result.crossOriginIsolated ? '~5 µs' : '0.1 ms'} resolution)`);
console.log(`certwright ${result.certwrightVersion}; times are medians in ms per call; runs = samples x calls per sample (batched where one call is < 1 ms);`);
console.log(`ratio = certwright / raw WebCrypto (generate+export), target <= ${result.targetRatio}x; ` +
  `"ratio from import" = (raw generate+export + wasm importPrivateKey alone) / raw generate+export`);
console.log('');
table(
  ['algorithm', 'certwright ms', 'raw WebCrypto ms (generate+export)', 'raw (generate only)', 'ratio', 'runs', 'target', 'vs gen only', 'wasm import alone ms', 'ratio from import'],
  result.keygen.map((k) => [
    k.algorithm, f(k.certwright.medianMs), f(k.rawGenerateExport.medianMs), f(k.rawGenerateOnly.medianMs),
    `${k.ratio.toFixed(2)}x`, `${k.runs} x ${k.batch}`, k.withinTarget ? 'met' : 'MISSED',
    `${k.ratioVsGenerateOnly.toFixed(2)}x`, f(k.wasmImport.medianMs), `${k.ratioFromImport.toFixed(2)}x`,
  ]),
);
console.log('');
table(
  ['CSR signing', 'certwright createCsr ms', 'raw WebCrypto sign ms', 'message bytes', 'ratio', 'runs'],
  result.csr.map((c) => [`${c.algorithm} (${c.signature})`, f(c.certwright.medianMs), f(c.rawSign.medianMs), c.messageBytes, `${c.ratio.toFixed(2)}x`, `${c.runs} x ${c.batch}`]),
);
console.log('');
const lt = result.longTasks;
console.log(lt.supported
  ? `max long task during certwright keygen: ${lt.certwrightKeygenMaxMs} ms (${lt.certwrightKeygenCount} long tasks >= 50 ms over ${lt.certwrightKeygenCalls} measured generateKeyPair calls; ` +
    `during warm-ups ${lt.certwrightWarmupMaxMs} ms; whole page ${lt.pageMaxMs} ms, ${lt.pageCount} long tasks, ` +
    `${lt.csrBatchCount} of them (max ${lt.csrBatchMaxMs} ms) in the benchmark's own synchronous batches of ${result.csr[0]?.batch} createCsr calls)`
  : 'max long task during certwright keygen: n/a (PerformanceObserver "longtask" not supported)');
console.log('');
console.log('spread of the samples (min..max ms per call):');
for (const k of result.keygen) {
  const s = (x) => `${f(x.minMs)}..${f(x.maxMs)}`;
  console.log(`  ${k.algorithm.padEnd(8)} certwright ${s(k.certwright)}  raw gen+export ${s(k.rawGenerateExport)}  raw gen ${s(k.rawGenerateOnly)}  wasm import ${s(k.wasmImport)}`);
}
console.log(`total in page: ${result.totalSeconds} s`);
