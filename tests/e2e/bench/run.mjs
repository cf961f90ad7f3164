// Runs the in-browser benchmark (/bench/ on the local server) in headless Chromium and prints a table.
//   node tests/e2e/bench/run.mjs [--url http://127.0.0.1:8091/bench/] [--native "native: ... line"]
//                                [--criterion "time:   [a ms b ms c ms]"]
// The native figures come from `cargo bench --bench parse` (scripts/bench.sh passes them): its
// `native:` line (one plain, cold run) and criterion's estimate for the same bundle (warm, 10 samples).
import { chromium } from 'playwright-core';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const url = arg('--url', 'http://127.0.0.1:8091/bench/');
const nativeLine = arg('--native', process.env.NATIVE_LINE ?? '');
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

const criterionLine = arg('--criterion', process.env.CRITERION_LINE ?? '');
const nativeMatch = /native: (\d+) certificates in ([\d.]+) ms = ([\d.]+) µs per certificate/.exec(nativeLine);
const native = nativeMatch ? { certificates: Number(nativeMatch[1]), ms: Number(nativeMatch[2]), usPerCert: Number(nativeMatch[3]) } : null;
// criterion: `time:   [low unit estimate unit high unit]`; the middle value is its point estimate.
const unitMs = { s: 1e3, ms: 1, 'µs': 1e-3, us: 1e-3, ns: 1e-6 };
const critMatch = /time:\s*\[\s*[\d.]+ \S+ ([\d.]+) (s|ms|µs|us|ns) /.exec(criterionLine);
const criterion = critMatch && native
  ? { ms: Number(critMatch[1]) * unitMs[critMatch[2]], usPerCert: (Number(critMatch[1]) * unitMs[critMatch[2]] * 1e3) / native.certificates }
  : null;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const version = browser.version();
let result;
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error(`[page ${m.type()}] ${m.text()}`); });
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 15 * 60_000, polling: 500 });
  result = await page.evaluate(() => window.benchResult);
  const pageText = await page.locator('#result').textContent();
  if (!result.error) {
    console.log('--- page output ---');
    console.log(pageText);
    console.log('-------------------');
  }
} finally {
  await browser.close();
}
if (result.error) {
  console.error(`benchmark failed in the page: ${result.error}`);
  process.exit(1);
}

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
