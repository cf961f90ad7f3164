// A private key pasted in a damaged shape (on one line, JSON-escaped with literal `\n`, or cut
// short) must never come back in a message: not in Inspect's status or problem list, not in the
// workshop's status line, nowhere on the page, and not in the console. Each kind of key
// (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC) is made by openssl for the test, and every
// 16-character run of its base64 is looked for in everything the page shows or logs.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PASSWORD = 'key-password-1234';

function openssl(...args) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/** One key of each kind, as PEM text. */
function makeKeys() {
  const dir = mkdtempSync(join(tmpdir(), 'certwright-keytext-'));
  const rsa = join(dir, 'rsa.pem');
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', rsa);
  const ec = join(dir, 'ec.pem');
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', ec);
  return {
    'PKCS#8': readFileSync(rsa, 'utf8'),
    'encrypted PKCS#8': openssl('pkcs8', '-topk8', '-in', ec, '-v2', 'aes-256-cbc', '-passout', `pass:${PASSWORD}`),
    'PKCS#1 RSA': openssl('rsa', '-in', rsa, '-traditional'),
    'SEC1 EC': readFileSync(ec, 'utf8'),
  };
}

/** The damaged shapes keys arrive in (environment variables, JSON, copy and paste). */
function variants(pem) {
  const lines = pem.trim().split('\n');
  const [begin, end] = [lines[0], lines[lines.length - 1]];
  const body = lines.slice(1, -1);
  const b64 = body.join('');
  const half = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
  return {
    'one line, spaces around the body': `${begin} ${b64} ${end}`,
    'one line, no spaces': `${begin}${b64}${end}`,
    'one line, body lines joined by spaces': `${begin} ${body.join(' ')} ${end}`,
    'JSON-escaped (literal \\n)': JSON.stringify(pem).slice(1, -1),
    'JSON object': JSON.stringify({ type: 'service_account', private_key: pem }),
    'truncated, no END line': [begin, ...half].join('\n'),
    'truncated body with END line': [begin, ...half, end].join('\n'),
    'truncated one line': `${begin} ${b64.slice(0, Math.floor(b64.length / 2))}`,
    'truncated JSON-escaped': JSON.stringify(pem).slice(1, Math.floor(pem.length / 2)),
  };
}

/** Every 16-character run of the key's base64 that occurs in `text`. */
function leakedRuns(pem, text) {
  const b64 = pem.trim().split('\n').slice(1, -1).join('');
  const found = [];
  for (let i = 0; i + 16 <= b64.length; i++) {
    const run = b64.slice(i, i + 16);
    if (text.includes(run)) found.push(run);
  }
  return found;
}

test('no message, page text or console line quotes a damaged private key', async ({ page }) => {
  test.setTimeout(600_000);
  const keys = makeKeys();
  let consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(String(e)));
  const leaks = [];
  let checked = 0;

  for (const [kind, pem] of Object.entries(keys)) {
    for (const [shape, text] of Object.entries(variants(pem))) {
      const name = `${kind}, ${shape}`;
      consoleLines = [];
      await page.goto('/');

      // Inspect: the paste box.
      const paste = page.getByLabel('Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs');
      await paste.fill(text);
      await page.getByRole('button', { name: 'Load pasted text' }).click();
      const inspectStatus = page.getByTestId('status');
      await expect(inspectStatus).toContainText('Loaded', { timeout: 15_000 });
      const problems = page.getByRole('list', { name: 'Problems' });
      const problemText = (await problems.count()) ? await problems.innerText() : '';
      const inspectStatusText = await inspectStatus.innerText();
      await paste.fill('');

      // The workshop: import without a password, and (encrypted keys) with a wrong one.
      await page.getByRole('link', { name: 'Keys & certificates' }).click();
      const status = page.getByTestId('workshop-status');
      await page.getByText('Import a private key').click();
      const box = page.getByLabel('Private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1)');
      const statusTexts = [];
      for (const password of kind.startsWith('encrypted') ? ['', 'not the password'] : ['']) {
        await box.fill(text);
        await page.getByLabel('Key password (for encrypted keys)').fill(password);
        await page.getByRole('button', { name: 'Import key' }).click();
        await expect(status).toHaveText(/Import failed|is ready/);
        await page.waitForTimeout(200); // the second attempt's answer replaces the first's
        statusTexts.push(await status.innerText());
      }
      await box.fill('');
      await page.getByLabel('Key password (for encrypted keys)').fill('');

      // Everything the page shows (the paste boxes emptied first: they hold the user's own input).
      const body = await page.evaluate(() => document.body.innerText);
      await page.waitForTimeout(50);
      const sources = {
        'Inspect status': inspectStatusText,
        'Inspect problems': problemText,
        'workshop status': statusTexts.join('\n'),
        'page text': body,
        console: consoleLines.join('\n'),
      };
      for (const [where, seen] of Object.entries(sources)) {
        const runs = leakedRuns(pem, seen);
        if (runs.length) leaks.push(`${name}: ${where} quotes ${runs.length} run(s) of the key, e.g. ${runs[0]}`);
      }
      checked++;
    }
  }
  expect(checked).toBe(36);
  expect(leaks).toEqual([]);
});
