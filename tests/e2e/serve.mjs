// Static file server for the end-to-end tests and the benchmark page, loopback only.
//   node serve.mjs [--port 8090]
// Serves the built app (dist/) at /, the JS module (pkg/) at /pkg/, the benchmark page at
// /bench/ and this folder's node_modules at /node_modules/ (for @peculiar/x509 in the benchmark).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const mounts = [
  ['/pkg/', join(root, 'pkg')],
  ['/bench/', join(here, 'bench')],
  ['/node_modules/', join(here, 'node_modules')],
  ['/', join(root, 'dist')],
];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.pem': 'text/plain', '.map': 'application/json',
};
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8090;

async function resolveFile(urlPath) {
  for (const [prefix, dir] of mounts) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(urlPath.slice(prefix.length))).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, rel);
    if (!file.startsWith(dir)) return null;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      await stat(file);
      return file;
    } catch {
      // The app is a single page: unknown paths under / get index.html.
      return prefix === '/' ? join(dir, 'index.html') : null;
    }
  }
  return null;
}

createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = await resolveFile(path);
  if (!file) {
    res.writeHead(404).end('not found');
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving http://127.0.0.1:${port}/`));
