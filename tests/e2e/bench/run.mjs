// Runs the in-browser benchmark (/bench/ on the local server) in headless Chromium and prints a table.
//   node tests/e2e/bench/run.mjs [--url http://127.0.0.1:8091/bench/] [--native "native: ... line"]
//                                [--criterion "time:   [a ms b ms c ms]"]
// The native figures come from `cargo bench --bench parse` (scripts/bench.sh passes them): its
// `native:` line (one plain, cold run) and criterion's estimate for the same bundle (warm, 10 samples).
import { arg, executablePath, runBenchPage } from './chromium.mjs';

const url = arg('--url', 'http://127.0.0.1:8091/bench/');
const nativeLine = arg('--native', process.env.NATIVE_LINE ?? '');
const criterionLine = arg('--criterion', process.env.CRITERION_LINE ?? '');
const nativeMatch = /native: (\d+) certificates in ([\d.]+) ms = ([\d.]+) µs per certificate/.exec(nativeLine);
const native = nativeMatch ? { certificates: Number(nativeMatch[1]), ms: Number(nativeMatch[2]), usPerCert: Number(nativeMatch[3]) } : null;
// criterion: `time:   [low unit estimate unit high unit]`; the middle value is its point estimate.
const unitMs = { s: 1e3, ms: 1, 'µs': 1e-3, us: 1e-3, ns: 1e-6 };
const critMatch = /time:\s*\[\s*[\d.]+ \S+ ([\d.]+) (s|ms|µs|us|ns) /.exec(criterionLine);
const criterion = critMatch && native
  ? { ms: Number(critMatch[1]) * unitMs[critMatch[2]], usPerCert: (Number(critMatch[1]) * unitMs[critMatch[2]] * 1e3) / native.certificates }
  : null;

const { result, version } = await runBenchPage(url, 'benchResult', 15 * 60_000);

const fmt = (x) => (x == null ? 'n/a' : x.toFixed(2));
const rows = [
  ['native (cargo bench `native:` line)', native?.usPerCert, native ? `${native.certificates} certificates, ${native.ms} ms, one cold run` : 'no native: line given'],
  ['native (criterion estimate)', criterion?.usPerCert, criterion ? `${native.certificates} certificates, ${criterion.ms.toFixed(1)} ms, warm, 10 samples` : 'no criterion time: line given'],
  ['wasm core (countCertificates)', result.wasmCore.usPerCert, `${result.certificates} certificates, median ${result.wasmCore.medianMs} ms of ${result.wasmCore.runsMs.length}`],
  ['wasm JS API (parseCertificates)', result.wasmJsApi.usPerCert, `${result.certificates} certificates, median ${result.wasmJsApi.medianMs} ms of ${result.wasmJsApi.runsMs.length}`],
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
console.log(`(${result.peculiar.note}; fingerprints of those ${result.fingerprintsCrossChecked} identical in both libraries)`);
