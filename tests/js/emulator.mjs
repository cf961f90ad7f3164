// Shared by the vendor client tests: loads pkg/ and starts the vendor emulator
// (target/debug/certwright-emulator, built by `cargo build -p certwright-emulator`) on a free
// loopback port, serving one vendor whatever the Host (`--vendor NAME`), so the JS clients reach
// it at http://127.0.0.1:PORT through globalThis.fetch like any vendor.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = new URL('../../', import.meta.url);

export async function loadModule() {
  const mod = await import(new URL('pkg/certwright.js', root));
  mod.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/certwright_bg.wasm', root))) });
  return mod;
}

/** Starts the emulator for `vendor`; resolves with { url, control, requests, stop }. */
export async function startEmulator(vendor) {
  const bin = fileURLToPath(new URL('target/debug/certwright-emulator', root));
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run cargo build -p certwright-emulator`);
  const child = spawn(bin, ['--listen', '127.0.0.1:0', '--vendor', vendor], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => { rl.close(); resolve(l); });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
  const m = line.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
  if (!m) throw new Error(`unexpected emulator banner: ${line}`);
  const url = m[1];
  const control = async (method, path, body) => {
    const r = await fetch(`${url}/__emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`control ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    url,
    control,
    /** The API requests the emulator received: [{ method, path, status }]. */
    requests: async () => (await control('GET', 'requests')).requests,
    stop: () => child.kill(),
  };
}

/** Asserts that no secret appears in the error's message, its properties or its stack. */
export function assertNoSecret(assert, error, secrets) {
  const text = `${error?.message} ${error?.stack} ${JSON.stringify(error)} ${JSON.stringify(error?.body)}`;
  for (const s of secrets) assert.ok(!text.includes(s), `a secret appears in: ${text}`);
}
