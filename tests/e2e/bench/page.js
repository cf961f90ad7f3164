// Shared by the benchmark pages (bench.js, keys.js): the #status / #result elements, timing
// helpers, the wasm set-up, and running a page's main() to its result (or { error }).
import init from '/pkg/certwright.js';

const statusEl = document.getElementById('status');
const resultEl = document.getElementById('result');
export const status = (text) => { statusEl.textContent = text; };
/** Lets the page paint (and ends the current task) between measurements. */
export const tick = () => new Promise((r) => setTimeout(r, 0));
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Loads the certwright wasm module (served at /pkg/). */
export async function initWasm() {
  status('Initialising the wasm module…');
  await init({ module_or_path: '/pkg/certwright_bg.wasm' });
}

/**
 * Runs `main`, which resolves to `{ result, lines }` (`result.totalSeconds` included): renders the
 * lines into #result and publishes the result as `window[resultGlobal]`, which the headless runner
 * waits for; on failure shows the error and publishes `{ error }` instead.
 */
export function runBench(resultGlobal, main) {
  main()
    .then(({ result, lines }) => {
      resultEl.textContent = lines.join('\n');
      status(`Done in ${result.totalSeconds} s.`);
      window[resultGlobal] = result;
    })
    .catch((err) => {
      console.error(err);
      status(`Failed: ${err.message}`);
      resultEl.textContent = String(err.stack || err);
      window[resultGlobal] = { error: String(err.message || err) };
    });
}
