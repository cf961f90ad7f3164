// How fast the app's first page and each other page open, in headless Chromium with the CPU
// slowed down 4x (DevTools' Emulation.setCPUThrottlingRate), as medians of 5 cold runs.
//   node tests/e2e/bench/load-run.mjs [--url http://127.0.0.1:8092/] [--runs 5] [--rate 4]
// Every run is a new browser context (empty cache):
// - "Inspect interactive": from navigation start to the frame after Inspect's "Load pasted text"
//   button is in the page (the app is mounted and its handlers attached);
// - each other page, opened first in a fresh context after Inspect is interactive: from the click
//   on its navigation link to the frame after its heading is shown. This includes loading the
//   pages module (src/ui/lazy.rs) the first time; "again" is a second page opened after it, with
//   the module already there.
// It also prints the bytes of wasm each step fetched (as served, and gzipped as a server would).
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { arg, executablePath } from './chromium.mjs';

const base = arg('--url', 'http://127.0.0.1:8092/');
const runs = Number(arg('--runs', '5'));
const rate = Number(arg('--rate', '4'));
const pages = [
  ['Keys & certificates', '/keys'],
  ['CA sets', '/akamai/ca-sets'],
  ['OpenAI', '/openai'],
  ['MATTR', '/mattr'],
  ['PingFederate', '/pingfederate'],
  ['Segura', '/segura'],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// In the page: `__shown(test)` resolves with the time of the animation frame after `test()`
// first holds. The first page's button is watched from the very start of the document.
function watch() {
  window.__shown = (test) => new Promise((resolve) => {
    const check = () => {
      if (!test()) return false;
      requestAnimationFrame(() => resolve(performance.now()));
      return true;
    };
    if (check()) return;
    new MutationObserver((_, obs) => { if (check()) obs.disconnect(); })
      .observe(document, { childList: true, subtree: true, attributes: true });
  });
  window.__inspect = window.__shown(() => [...document.querySelectorAll('main button')].some((b) => b.textContent === 'Load pasted text'));
  // Opens the page at `target` with its navigation link; resolves with the ms until its heading shows.
  window.__open = (target) => {
    const before = document.querySelector('main .page:not(.hidden)');
    const link = [...document.querySelectorAll('nav a')].find((a) => new URL(a.href).pathname === target);
    const shown = window.__shown(() => {
      const p = document.querySelector('main .page:not(.hidden)');
      return p && p !== before && p.querySelector('h2');
    });
    const t0 = performance.now();
    link.click();
    return shown.then((t) => t - t0);
  };
}

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
const wasmBytes = {};

/** One fresh context: open /inspect, then the page at `path`, then the one at `again`. */
async function run(path, again) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Each wasm response is filed under the step that asked for it (its body is read later).
  let step = 'first page';
  const reads = [];
  page.on('response', (r) => {
    if (!r.url().endsWith('.wasm')) return;
    const key = `${step}: ${new URL(r.url()).pathname.replace(/-[0-9a-f]{16}_bg/, '_bg')}`;
    reads.push(r.body().then((body) => { wasmBytes[key] = { raw: body.length, gz: gzipSync(body, { level: 9 }).length }; }, () => {}));
  });
  page.on('pageerror', (e) => console.error(`[app error] ${e.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.addInitScript(watch);
  await page.goto(new URL('/inspect', base).href);
  const inspectMs = await page.evaluate(() => window.__inspect);
  await page.waitForTimeout(300);
  step = 'on first use';
  const firstMs = await page.evaluate((t) => window.__open(t), path);
  const againMs = await page.evaluate((t) => window.__open(t), again);
  await Promise.all(reads);
  await context.close();
  return { inspectMs, firstMs, againMs };
}

const inspect = [];
const results = {};
for (let r = 0; r < runs; r++) {
  for (const [i, [label, path]] of pages.entries()) {
    const next = pages[(i + 1) % pages.length];
    const { inspectMs, firstMs, againMs } = await run(path, next[1]);
    inspect.push(inspectMs);
    (results[label] ??= { first: [], again: [] }).first.push(firstMs);
    results[next[0]] ??= { first: [], again: [] };
    results[next[0]].again.push(againMs);
  }
}
await browser.close();

console.log(`Chromium ${browser.version()}, headless, CPU throttled ${rate}x, ${base}; medians of ${runs} cold runs (ms)`);
console.log('');
console.log('wasm fetched (as served; gzip -9):');
for (const [name, f] of Object.entries(wasmBytes)) console.log(`  ${name}: ${(f.raw / 1024).toFixed(0)} KB (${(f.gz / 1024).toFixed(0)} KB gz)`);
console.log('');
const fmt = (xs) => `${median(xs).toFixed(0).padStart(6)}   (${xs.map((x) => x.toFixed(0)).join(', ')})`;
console.log(`${'navigation → Inspect interactive'.padEnd(40)}${fmt(inspect)}`);
console.log('');
console.log(`${'page'.padEnd(22)}${'first open (loads the module)'.padEnd(40)}opened after another page`);
for (const [label] of pages) {
  const { first, again } = results[label];
  console.log(`${label.padEnd(22)}${fmt(first).padEnd(40)}${fmt(again)}`);
}
