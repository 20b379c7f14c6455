// Playwright configuration for hientruong's browser tests: Debian's Chromium drives the already-built
// debug server, which runs on a fresh SQLite database with the sample demo data and unreachable map tiles;
// a second server holds the pilot dataset for the statistics.
import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const PORT = process.env.E2E_PORT ?? '3123';
const baseURL = `http://127.0.0.1:${PORT}`;
const repoRoot = path.resolve(__dirname, '..');

// One fresh database folder per run. Workers load this file again; they inherit the folder through the
// environment instead of making empty folders of their own.
const dbDir = process.env.HIENTRUONG_E2E_DB_DIR ?? fs.mkdtempSync(path.join(repoRoot, 'target', 'e2e-db-'));
process.env.HIENTRUONG_E2E_DB_DIR = dbDir;

// The statistics specs read the regenerated Đồng Hới pilot from a second server of their own.
export const PILOT_PORT = process.env.E2E_PILOT_PORT ?? '3124';

// The main server mails through an SMTP relay on this port, which the account recovery spec runs
// itself; derived from the server's port so that parallel runs do not collide. While nothing
// listens there, mail fails and is logged, and pages work as before.
export const SMTP_PORT = String(Number(PORT) + 700);

/** The database file of the server on `demo`'s dataset. */
export function databaseFile(demo: string): string {
  return path.join(dbDir, `e2e-${demo}.db`);
}

/** The debug server on `port`, on its own fresh database holding the `demo` dataset, with `extra` settings. */
function server(port: string, demo: string, extra: Record<string, string> = {}) {
  const address = `http://127.0.0.1:${port}`;
  return {
    command: 'target/debug/hientruong',
    cwd: repoRoot,
    env: {
      ...extra,
      DATABASE_URL: `sqlite://${databaseFile(demo)}`,
      HIENTRUONG_DEMO: demo,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      // Port 9 (discard) refuses connections at once: tiles fail fast, and the page must work without them.
      HIENTRUONG_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
      // Every spec signs in and files from this one address; the limits have API tests of their own.
      HIENTRUONG_RATE_LIMITS: 'off',
    },
    url: `${address}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    // The server logs every request on stdout; only its errors are worth showing beside the results.
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

export default defineConfig({
  testDir: './tests',
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    headless: true,
    // The installed app's service worker answers navigations from its cache; only the specs of the
    // installed app let it run, so every other spec sees the server's own answers.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: [
    server(PORT, 'sample', {
      HIENTRUONG_SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      HIENTRUONG_PUBLIC_URL: baseURL,
      // Notices and alerts go out within two seconds of a step, not the default half minute.
      HIENTRUONG_JOB_INTERVAL_SECONDS: '2',
    }),
    server(PILOT_PORT, 'pilot'),
  ],
});
