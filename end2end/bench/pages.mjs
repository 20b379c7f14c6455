// Page weight, time to interactive and throughput of the release build, in one run:
//   ./dev.sh bench        (builds the release site first; or `node end2end/bench/pages.mjs` on a built one)
// Starts target/release/hientruong on a fresh SQLite database with the pilot data, on BENCH_PORT
// (3340 unless set), and prints Markdown tables for BENCHMARKS.md.
import { chromium } from '@playwright/test';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { load } from './load.mjs';
import { repoRoot, startServer } from './server.mjs';

const port = process.env.BENCH_PORT ?? '3340';
const base = `http://127.0.0.1:${port}`;
const runs = Number(process.env.BENCH_RUNS ?? 5);
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
// Slow 4G as the issue defines it: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
const slow4g = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

/**
 * Runs in every page before its scripts: records `window.__interactiveAt` (ms since navigation)
 * once the app has hydrated (the app marks `<html data-hydrated>` when the current page's split
 * code is loaded and hydrated) and, on the report form, the submit button is enabled and the map drawn.
 */
function interactivityProbe() {
  const ready = () => {
    if (!document.documentElement.hasAttribute('data-hydrated')) return false;
    if (location.pathname !== '/') return true;
    const submit = document.querySelector('form button[type=submit]');
    return Boolean(submit && !submit.disabled && document.querySelector('.leaflet-container'));
  };
  const poll = setInterval(() => {
    if (window.__interactiveAt === undefined && ready()) window.__interactiveAt = performance.now();
    if (window.__interactiveAt !== undefined) clearInterval(poll);
  }, 5);
}

/** One load of `url` in `page`: bytes over the wire (headers included) and time to interactive. */
async function measureLoad(page, cdp, url) {
  let bytes = 0;
  const count = (event) => (bytes += event.encodedDataLength);
  cdp.on('Network.loadingFinished', count);
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForFunction(() => window.__interactiveAt !== undefined, null, { timeout: 120_000, polling: 20 });
  const tti = await page.evaluate(() => window.__interactiveAt);
  await page.waitForLoadState('networkidle');
  cdp.off('Network.loadingFinished', count);
  return { bytes, tti };
}

/** A first visit in a fresh profile, then a return visit with its cache. */
async function visitTwice(browser, url, network) {
  const context = await browser.newContext();
  await context.addInitScript(interactivityProbe);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (network) await cdp.send('Network.emulateNetworkConditions', network);
  const first = await measureLoad(page, cdp, url);
  await page.goto('about:blank');
  const again = await measureLoad(page, cdp, url);
  await context.close();
  return { first, again };
}

/** Each response of the first visit to `url`: its path, encoding and bytes over the wire. */
async function listResponses(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response }) =>
    seen.set(requestId, { url: response.url, encoding: response.headers['content-encoding'] ?? '-' }),
  );
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const entry = seen.get(requestId);
    if (entry) entry.bytes = encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await context.close();
  return [...seen.values()].filter((entry) => entry.bytes !== undefined);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const kB = (bytes) => (bytes / 1000).toFixed(1);
const ms = (value) => value.toFixed(0);

async function lighthouse(url) {
  const { stdout } = await promisify(execFile)(
    path.join(repoRoot, 'node_modules/.bin/lighthouse'),
    [
      url,
      '--quiet',
      '--output=json',
      '--output-path=stdout',
      '--only-categories=performance',
      `--chrome-flags=--headless=new ${chromiumArgs.join(' ')}`,
    ],
    { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(stdout);
  const metric = (id) => report.audits[id].numericValue;
  return {
    score: Math.round(report.categories.performance.score * 100),
    fcp: metric('first-contentful-paint'),
    lcp: metric('largest-contentful-paint'),
    tbt: metric('total-blocking-time'),
    si: metric('speed-index'),
  };
}

const { stop } = await startServer({ port });
try {
  // A public case from the open data export: the map lists its cases only in the browser.
  const exported = await (await fetch(`${base}/api/v1/cases.geojson`)).json();
  const caseId = exported.features?.[0]?.properties?.id;
  if (!caseId) throw new Error('no public case in /api/v1/cases.geojson');
  const pages = ['/', '/map', `/cases/${caseId}`, '/stats'];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });

  console.log(`\n### Page weight and time to interactive (median of ${runs})\n`);
  console.log('| page | first visit kB | return visit kB | TTI localhost first / return ms | TTI slow 4G first / return ms |');
  console.log('|---|---|---|---|---|');
  for (const page of pages) {
    const local = [];
    const slow = [];
    for (let run = 0; run < runs; run += 1) {
      local.push(await visitTwice(browser, base + page, null));
      slow.push(await visitTwice(browser, base + page, slow4g));
    }
    const m = (list, pick) => median(list.map(pick));
    console.log(
      `| \`${page}\` | ${kB(m(local, (v) => v.first.bytes))} | ${kB(m(local, (v) => v.again.bytes))} | ` +
        `${ms(m(local, (v) => v.first.tti))} / ${ms(m(local, (v) => v.again.tti))} | ` +
        `${ms(m(slow, (v) => v.first.tti))} / ${ms(m(slow, (v) => v.again.tti))} |`,
    );
  }

  console.log('\n### What the first visit to `/` transfers\n');
  console.log('| response | encoding | kB |');
  console.log('|---|---|---|');
  for (const entry of await listResponses(browser, `${base}/`)) {
    console.log(`| \`${new URL(entry.url).pathname}\` | ${entry.encoding} | ${kB(entry.bytes)} |`);
  }

  console.log('\n### Requests of a first visit, per page\n');
  console.log('| page | requests | of them WebAssembly | WebAssembly kB | all kB |');
  console.log('|---|---|---|---|---|');
  for (const page of pages) {
    const responses = await listResponses(browser, base + page);
    const wasm = responses.filter((entry) => new URL(entry.url).pathname.endsWith('.wasm'));
    const sum = (list) => list.reduce((total, entry) => total + entry.bytes, 0);
    console.log(
      `| \`${page}\` | ${responses.length} | ${wasm.length} | ${kB(sum(wasm))} | ${kB(sum(responses))} |`,
    );
  }
  await browser.close();

  // The same pages from a second server of the same build that renders every request
  // (HIENTRUONG_PAGE_CACHE=off), measured in turn with the first: what the page cache saves.
  const uncachedPort = String(Number(port) + 1);
  const uncached = await startServer({ port: uncachedPort, env: { HIENTRUONG_PAGE_CACHE: 'off' } });
  console.log('\n### Throughput at 16 connections (5 s each, accepting br and gzip)\n');
  console.log('| URL | req/s | p50 ms | p99 ms | failed | share of static | rendered every request: req/s, p50 / p99 ms |');
  console.log('|---|---|---|---|---|---|---|');
  let staticRps = 0;
  try {
    for (const url of ['/favicon.svg', ...pages]) {
      const result = await load(base + url, { connections: 16, seconds: 5 });
      if (url === '/favicon.svg') staticRps = result.rps;
      const rendered = url === '/favicon.svg' ? null : await load(uncached.base + url, { connections: 16, seconds: 5 });
      console.log(
        `| \`${url}\` | ${result.rps.toFixed(0)} | ${result.p50.toFixed(1)} | ${result.p99.toFixed(1)} | ${result.failed} | ` +
          `${(result.rps / staticRps).toFixed(2)} | ` +
          (rendered
            ? `${rendered.rps.toFixed(0)}, ${rendered.p50.toFixed(1)} / ${rendered.p99.toFixed(1)}${rendered.failed ? `, ${rendered.failed} failed` : ''} |`
            : '– |'),
      );
    }
  } finally {
    await uncached.stop();
  }

  if (process.env.BENCH_LIGHTHOUSE !== '0') {
    // Lighthouse's score moves by several points from one run to the next: the median of a few runs.
    const lighthouseRuns = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
    console.log(`\n### Lighthouse 12.2.3, mobile preset (simulated slow 4G, 4x CPU slowdown), medians of ${lighthouseRuns}\n`);
    console.log('| page | performance (each run) | FCP ms | LCP ms | TBT ms | Speed Index ms |');
    console.log('|---|---|---|---|---|---|');
    for (const page of pages) {
      const results = [];
      for (let run = 0; run < lighthouseRuns; run += 1) results.push(await lighthouse(base + page));
      const mid = (key) => median(results.map((result) => result[key]));
      const scores = results.map((result) => result.score).join(', ');
      console.log(
        `| \`${page}\` | ${mid('score')} (${scores}) | ${ms(mid('fcp'))} | ${ms(mid('lcp'))} | ${ms(mid('tbt'))} | ${ms(mid('si'))} |`,
      );
    }
  }
} finally {
  await stop();
}
