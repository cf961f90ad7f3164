// Runs the in-browser benchmark (/bench/ on the local server) in headless Chromium and prints a table.
//   node tests/e2e/bench/run.mjs [--url http://127.0.0.1:8091/bench/] [--native "native: ... line"]
//                                [--criterion "time:   [a ms b ms c ms]"]
// The native figures come from `cargo bench --bench parse` (scripts/bench.sh passes them): its
// `native:` line (one plain, cold run) and criterion's estimate for the same bundle (warm, 10 samples).
import { arg, executablePath, runAppLoad, runBenchPage } from './chromium.mjs';

const url = arg('--url', 'http://127.0.0.1:8091/bench/');
const nativeLine = arg('--native', process.env.NATIVE_LINE ?? '');
const criterionLine = arg('--criterion', process.env.CRITERION_LINE ?? '');
const nativeSummaryLine = arg('--native-summary', process.env.NATIVE_SUMMARY_LINE ?? '');
const nativeMatch = /native: (\d+) certificates in ([\d.]+) ms = ([\d.]+) µs per certificate/.exec(nativeLine);
const native = nativeMatch ? { certificates: Number(nativeMatch[1]), ms: Number(nativeMatch[2]), usPerCert: Number(nativeMatch[3]) } : null;
const summaryMatch = /native summary: (\d+) certificates in ([\d.]+) ms = ([\d.]+) µs per certificate/.exec(nativeSummaryLine);
const nativeSummary = summaryMatch ? { certificates: Number(summaryMatch[1]), ms: Number(summaryMatch[2]), usPerCert: Number(summaryMatch[3]) } : null;
// criterion: `time:   [low unit estimate unit high unit]`; the middle value is its point estimate.
const unitMs = { s: 1e3, ms: 1, 'µs': 1e-3, us: 1e-3, ns: 1e-6 };
const critMatch = /time:\s*\[\s*[\d.]+ \S+ ([\d.]+) (s|ms|µs|us|ns) /.exec(criterionLine);
const criterion = critMatch && native
  ? { ms: Number(critMatch[1]) * unitMs[critMatch[2]], usPerCert: (Number(critMatch[1]) * unitMs[critMatch[2]] * 1e3) / native.certificates }
  : null;

const { result, version } = await runBenchPage(url, 'benchResult', 15 * 60_000);
// (the app figures follow the table)

const fmt = (x) => (x == null ? 'n/a' : x.toFixed(2));
const rows = [
  ['native (cargo bench `native:` line)', native?.usPerCert, native ? `${native.certificates} certificates, ${native.ms} ms, one cold run` : 'no native: line given'],
  ['native (criterion estimate)', criterion?.usPerCert, criterion ? `${native.certificates} certificates, ${criterion.ms.toFixed(1)} ms, warm, 10 samples` : 'no criterion time: line given'],
  ['wasm core (countCertificates)', result.wasmCore.usPerCert, `${result.certificates} certificates, median ${result.wasmCore.medianMs} ms of ${result.wasmCore.runsMs.length}`],
  ['wasm JS API (parseCertificates)', result.wasmJsApi.usPerCert, `${result.certificates} certificates, median ${result.wasmJsApi.medianMs} ms of ${result.wasmJsApi.runsMs.length}`],
  ['native summary (summarize_bundle)', nativeSummary?.usPerCert, nativeSummary ? `${nativeSummary.certificates} certificates, ${nativeSummary.ms} ms, one cold run` : 'no native summary: line given'],
  ['fast core (summarizeCertificatesJson)', result.fastCore.usPerCert, `one JSON string out; median ${result.fastCore.medianMs} ms of ${result.fastCore.runsMs.length}`],
  ['fast JS API (parseCertificateSummaries)', result.fastJsApi.usPerCert, `summary objects via one JSON.parse; median ${result.fastJsApi.medianMs} ms of ${result.fastJsApi.runsMs.length}`],
  ['table JS API (parseCertificateTable)', result.tableJsApi.usPerCert, `columns out, then subject, issuer, serial, dates, key algorithm, SHA-1, SHA-256 of every certificate read; median ${result.tableJsApi.medianMs} ms of ${result.tableJsApi.runsMs.length}`],
  ['table JS API, from bytes (Uint8Array)', result.tableBytes.usPerCert, `as above from the bundle's bytes (no string to encode); median ${result.tableBytes.medianMs} ms of ${result.tableBytes.runsMs.length}`],
  ['table JS API, every object (toArray)', result.tableObjects.usPerCert, `a CertificateSummary object built for every certificate; median ${result.tableObjects.medianMs} ms of ${result.tableObjects.runsMs.length}`],
  ['@peculiar/x509 2.2.0 + WebCrypto', result.peculiar.usPerCert, `first ${result.peculiar.certificates} certificates only, median ${result.peculiar.medianMs} ms of ${result.peculiar.runsMs.length}`],
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`Chromium: ${version} (${executablePath}), headless`);
console.log(`certwright ${result.certwrightVersion}; bundle ${result.certificates} certificates, ${(result.bundleBytes / 1e6).toFixed(1)} MB`);
console.log('');
console.log(`${'measurement'.padEnd(w)}  ${'µs/cert'.padStart(9)}  notes`);
console.log(`${'-'.repeat(w)}  ${'-'.repeat(9)}  ${'-'.repeat(50)}`);
for (const [name, us, note] of rows) console.log(`${name.padEnd(w)}  ${fmt(us).padStart(9)}  ${note}`);
console.log('');
console.log(`speed-up @peculiar/x509 / wasm core:   ${(result.peculiar.usPerCert / result.wasmCore.usPerCert).toFixed(1)}x`);
console.log(`speed-up @peculiar/x509 / wasm JS API: ${(result.peculiar.usPerCert / result.wasmJsApi.usPerCert).toFixed(1)}x`);
console.log(`ratio wasm core / native:              ${native ? (result.wasmCore.usPerCert / native.usPerCert).toFixed(2) + 'x' : 'n/a'} (native: line)` +
  (criterion ? `, ${(result.wasmCore.usPerCert / criterion.usPerCert).toFixed(2)}x (criterion estimate)` : ''));
console.log(`speed-up @peculiar/x509 / fast core:   ${(result.peculiar.usPerCert / result.fastCore.usPerCert).toFixed(1)}x`);
console.log(`speed-up @peculiar/x509 / fast JS API: ${(result.peculiar.usPerCert / result.fastJsApi.usPerCert).toFixed(1)}x (goal: 40x)`);
console.log(`speed-up @peculiar/x509 / table JS API: ${(result.peculiar.usPerCert / result.tableJsApi.usPerCert).toFixed(1)}x (goal: 40x); from bytes: ${(result.peculiar.usPerCert / result.tableBytes.usPerCert).toFixed(1)}x; every object built: ${(result.peculiar.usPerCert / result.tableObjects.usPerCert).toFixed(1)}x`);
console.log(`speed-up @peculiar/x509 / table JS API, ${result.pairs.length} interleaved pairs: median ${result.pairRatioMedian}x (goal: 40x); pairs ${result.pairs.map((p) => `${p.ratio}x`).join(', ')}`);
console.log(`  (each pair: one parseCertificateTable run with fields read and one @peculiar/x509 run on its first ${result.pairPeculiarCertificates} certificates, back to back, the order alternating; µs/cert ${result.pairs.map((p) => `${p.tableUsPerCert}/${p.peculiarUsPerCert}`).join(', ')})`);
console.log(`ratio fast core / native summary:      ${nativeSummary ? (result.fastCore.usPerCert / nativeSummary.usPerCert).toFixed(2) + 'x' : 'n/a'} (goal: within 1.5x)`);
console.log(`one certificate's full detail on demand: ${result.detailMs} ms`);
console.log(`(${result.peculiar.note}; fingerprints of those ${result.fingerprintsCrossChecked} identical in both libraries)`);

// The app: the same bundle loaded on the Inspect page (parsed in the parse worker), with every
// main-thread long task recorded.
const appUrl = new URL('/', url).href;
const app = await runAppLoad(appUrl, new URL('./bundle.pem', import.meta.url), 10 * 60_000);
console.log('');
if (app.skipped) {
  console.log(`app: ${app.skipped}`);
} else {
  console.log(`app (Inspect page, ${app.certificates} certificates through the file input, parse worker): loaded in ${app.seconds} s`);
  console.log(`  main-thread long tasks while loading: ${app.over50} over 50 ms, ${app.over200} over 200 ms, longest ${app.longestMs} ms`);
}
