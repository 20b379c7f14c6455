// Starts the release build for a bench: target/release/hientruong on a fresh SQLite database in a
// temporary folder, with the pilot data, on 127.0.0.1:`port`, and waits until it answers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * Answers `{ server, dbDir, base, stop }`. `env` adds to (or overrides) the server's environment;
 * `log` is where its log (on standard output) and errors go: `'ignore'`/`'inherit'`, or a file descriptor.
 */
export async function startServer({ port, env = {}, log = 'ignore', stderr = 'inherit' }) {
  const base = `http://127.0.0.1:${port}`;
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hientruong-bench-'));
  const server = spawn(path.join(repoRoot, 'target/release/hientruong'), [], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${path.join(dbDir, 'bench.db')}?mode=rwc`,
      HIENTRUONG_DEMO: 'pilot',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? 'target/site',
      // Port 9 refuses at once: no tile is fetched, so tiles weigh nothing in the figures.
      HIENTRUONG_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
      RUST_LOG: 'warn',
      ...env,
    },
    stdio: ['ignore', log, stderr],
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const stop = async () => {
    server.kill();
    await exited;
    fs.rmSync(dbDir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 600; attempt += 1) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { server, dbDir, base, stop };
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error('the release server did not start');
}
