// Playwright drives Debian's Chromium (/usr/bin/chromium): no browser download.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 8090);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 9461);

// Every vendor's test host, routed by the relay to the one emulator (which answers by Host).
const routedHosts = ['emulator.akamai.test', 'api.openai.test', 'tenant.mattr.test', 'auth.mattr.test',
  'pingfederate.emulator.test', 'vault.segura.test'];
const routes = routedHosts.map((h) => `--route ${h}=http://127.0.0.1:${emulatorPort}`).join(' ');

export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
  },
  // The built app and the relay on one origin (the relay routes the emulator's fake Akamai host
  // to the emulator), and the emulator. Both binaries are built by scripts/test.sh.
  webServer: [
    {
      command: `../../target/debug/certwright-emulator --listen 127.0.0.1:${emulatorPort}`,
      url: `http://127.0.0.1:${emulatorPort}/__emulator/requests`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `../../target/debug/certwright-relay --listen 127.0.0.1:${port} --dist ../../dist ${routes}`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
