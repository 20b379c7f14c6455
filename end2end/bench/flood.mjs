// Abuse resistance under a flood, measured in one run of the release build:
//   ./dev.sh bench flood     (builds the release site first; or `node end2end/bench/flood.mjs` on a built one)
// Starts target/release/hientruong on a fresh SQLite database with the pilot data and the default
// rate limits, behind 127.0.0.1 as its trusted proxy, so each client is the address it names in
// `X-Forwarded-For`. Eight honest clients read pages and file reports (each report from a fresh
// address, as citizens each file a few); first alone (the baseline), then while one abusive address
// floods intake, registration and photo uploads at full speed. Prints Markdown tables for BENCHMARKS.md.
//
// Settings: BENCH_PORT (3341), FLOOD_RUNS (3: each on a fresh server; medians are printed too),
// FLOOD_SECONDS per phase (30), FLOOD_WARMUP_SECONDS (3), FLOOD_THINK_MS (mean pause of an honest
// client between requests, 200), FLOOD_CONNECTIONS (the abuser's connections per endpoint, 4),
// FLOOD_ENDPOINTS (what the abuser floods, of `submit_case,register,photos`: all three).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import { startServer } from './server.mjs';

const port = process.env.BENCH_PORT ?? '3341';
const runs = Number(process.env.FLOOD_RUNS ?? 3);
const phaseSeconds = Number(process.env.FLOOD_SECONDS ?? 30);
const warmupSeconds = Number(process.env.FLOOD_WARMUP_SECONDS ?? 3);
const thinkMs = Number(process.env.FLOOD_THINK_MS ?? 200);
const abuserConnections = Number(process.env.FLOOD_CONNECTIONS ?? 4);
const floodedEndpoints = (process.env.FLOOD_ENDPOINTS ?? 'submit_case,register,photos').split(',').map((name) => name.trim());
const honestClients = 8;
// Addresses from the documentation ranges (RFC 5737, RFC 2544): they only ever appear in a header.
const abuserAddress = '203.0.113.66';
const readerAddress = (client) => `198.18.0.${client + 1}`;
let citizens = 0;
const nextCitizenAddress = () => {
  citizens += 1;
  return `198.19.${Math.floor(citizens / 250) % 250}.${(citizens % 250) + 1}`;
};
// A request the server has not answered by then counts as failed.
const requestTimeoutMs = 30_000;

/** One request; answers its status (0 when the connection failed or timed out), latency in ms and body. */
function send(base, agent, { method = 'GET', path: target, headers = {}, body }) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const request = http.request(base + target, { method, agent, headers, timeout: requestTimeoutMs }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode, ms: elapsed(), body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', () => resolve({ status: 0, ms: elapsed(), body: '' }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', () => resolve({ status: 0, ms: elapsed(), body: '' }));
    request.end(body);
  });
}

function pngChunk(kind, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(kind, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of `width` × `height` with a pattern (so the server decodes and resizes real pixels), made here so the bench needs no files. */
function png(width, height, seed) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const stride = 1 + 3 * width;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = y * stride + 1 + 3 * x;
      pixels[at] = (x + seed) & 255;
      pixels[at + 1] = y & 255;
      pixels[at + 2] = (x ^ y) & 255;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(pixels, { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A report every rule accepts, inside the pilot area, with a contact. */
function report(key, photos) {
  return {
    submission_key: key,
    category: 'environment',
    title: 'Rác thải đổ trộm ven sông',
    description: 'Một đống rác lớn bị đổ trộm bên bờ sông Nhật Lệ, bốc mùi hôi.',
    lat: 17.4689 + (Math.random() - 0.5) * 0.01,
    lon: 106.6222 + (Math.random() - 0.5) * 0.01,
    reporter_name: 'Trần Văn Bình',
    reporter_phone: '0905 111 222',
    reporter_email: 'binh@example.vn',
    photos,
  };
}

const uniqueKey = (prefix) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

// ---------------------------------------------------------------------------------------------
// The abuser, in a worker thread so its own work does not delay the honest clients' event loop.

async function abuse({ base, seconds, connections }) {
  const origin = base;
  const photo = png(4000, 3000, 7);
  const counts = {};
  const endpoints = {
    'POST /api/submit_case': (n) => ({
      method: 'POST',
      path: '/api/submit_case',
      headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': abuserAddress },
      body: JSON.stringify({ input: report(uniqueKey(`spam${n}`), []) }),
    }),
    'POST /api/register': (n) => ({
      method: 'POST',
      path: '/api/register',
      headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': abuserAddress },
      body: JSON.stringify({
        input: { username: `spam${n}${Math.random().toString(36).slice(2, 8)}`, display_name: 'Spam', password: 'một mật khẩu đủ dài' },
      }),
    }),
    'POST /api/v1/photos': () => ({
      method: 'POST',
      path: '/api/v1/photos?name=spam.png',
      headers: { 'content-type': 'application/octet-stream', origin, 'x-forwarded-for': abuserAddress },
      body: photo,
    }),
  };
  parentPort.postMessage({ ready: true });
  await new Promise((resolve) => parentPort.once('message', resolve));
  const until = Date.now() + seconds * 1000;
  const flooded = Object.entries(endpoints).filter(([name]) => floodedEndpoints.some((wanted) => name.endsWith(`/${wanted}`)));
  const loops = flooded.flatMap(([name, make]) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    counts[name] = { ok: 0, limited: 0, other: 0, statuses: {} };
    let n = 0;
    return Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        n += 1;
        const { status } = await send(base, agent, make(n));
        const count = counts[name];
        if (status >= 200 && status < 300) count.ok += 1;
        else if (status === 429) count.limited += 1;
        else count.other += 1;
        count.statuses[status] = (count.statuses[status] ?? 0) + 1;
      }
    });
  });
  const started = Date.now();
  await Promise.all(loops);
  parentPort.postMessage({ counts, elapsed: (Date.now() - started) / 1000 });
}

// ---------------------------------------------------------------------------------------------
// The honest clients, and the run.

const operations = ['GET /', 'GET /map', 'GET /cases/N', 'GET /stats', 'POST /api/v1/photos', 'POST /api/submit_case'];
// What an honest client does next, by weight: mostly reading, one step in ten filing a report
// (one photo uploaded, then the report with it).
const steps = [
  ['GET /', 2],
  ['GET /map', 2],
  ['GET /cases/N', 3],
  ['GET /stats', 2],
  ['report', 1],
];
const stepWeights = steps.reduce((sum, [, weight]) => sum + weight, 0);
function nextStep() {
  let roll = Math.random() * stepWeights;
  for (const [step, weight] of steps) {
    roll -= weight;
    if (roll < 0) return step;
  }
  return steps[0][0];
}

/** Eight honest clients for `seconds`; answers each operation's latencies and failures. */
async function honest({ base, seconds, caseIds, photo }) {
  const results = Object.fromEntries(operations.map((op) => [op, { ms: [], failed: 0, statuses: {} }]));
  const record = (op, { status, ms }) => {
    const result = results[op];
    result.ms.push(ms);
    if (status < 200 || status >= 300) {
      result.failed += 1;
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    }
  };
  const until = Date.now() + seconds * 1000;
  const page = { accept: 'text/html', 'accept-encoding': 'br, gzip', 'accept-language': 'vi' };
  const client = async (index) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (Date.now() < until) {
      const step = nextStep();
      if (step === 'report') {
        const citizen = nextCitizenAddress();
        const headers = { origin: base, 'x-forwarded-for': citizen, 'accept-language': 'vi' };
        const upload = await send(base, agent, {
          method: 'POST',
          path: '/api/v1/photos?name=anh.png',
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: photo,
        });
        record('POST /api/v1/photos', upload);
        let photos = [];
        try {
          photos = upload.status === 201 ? [JSON.parse(upload.body).id] : [];
        } catch {
          // counted as failed above if it was not 201
        }
        const submit = await send(base, agent, {
          method: 'POST',
          path: '/api/submit_case',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ input: report(uniqueKey('dan'), photos) }),
        });
        record('POST /api/submit_case', submit);
      } else {
        const target = step === 'GET /cases/N' ? `/cases/${caseIds[Math.floor(Math.random() * caseIds.length)]}` : step.slice(4);
        record(step, await send(base, agent, { path: target, headers: { ...page, 'x-forwarded-for': readerAddress(index) } }));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * thinkMs));
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: honestClients }, (_, index) => client(index)));
  return results;
}

/** The server's CPU time so far (user + system), in seconds. */
function cpuSeconds(pid) {
  if (!fs.existsSync(`/proc/${pid}/stat`)) throw new Error('the server is gone');
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the line, 11 and 12 after the command; 100 ticks a second.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
function summarise(result) {
  const sorted = [...result.ms].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    success: sorted.length ? (100 * (sorted.length - result.failed)) / sorted.length : NaN,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    statuses: result.statuses,
  };
}
const allOf = (results) => ({
  ms: Object.values(results).flatMap((result) => result.ms),
  failed: Object.values(results).reduce((sum, result) => sum + result.failed, 0),
  statuses: {},
});

/** One run on a fresh server: warm-up, baseline, flood. */
async function runOnce(run) {
  const logPath = path.join(fs.mkdtempSync('/tmp/hientruong-flood-'), 'server.log');
  const log = fs.openSync(logPath, 'w');
  const { server, base, stop } = await startServer({
    port,
    env: { HIENTRUONG_TRUSTED_PROXIES: '127.0.0.1' },
    log,
    stderr: log,
  });
  let stopping = false;
  server.once('exit', (code, signal) => {
    if (!stopping) console.error(`the server exited during the run (code ${code}, signal ${signal}); its log: ${logPath}`);
  });
  try {
    const mapPage = await (await fetch(`${base}/map`)).text();
    const caseIds = [...new Set([...mapPage.matchAll(/href="\/cases\/(\d+)"/g)].map((match) => match[1]))];
    if (caseIds.length === 0) throw new Error('no public case on /map');
    const photo = png(1600, 1200, run);
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { base, seconds: phaseSeconds, connections: abuserConnections },
    });
    const workerMessages = [];
    let wake = () => {};
    worker.on('message', (message) => {
      workerMessages.push(message);
      wake();
    });
    worker.on('error', (error) => {
      throw error;
    });
    const nextMessage = async () => {
      while (workerMessages.length === 0) await new Promise((resolve) => (wake = resolve));
      return workerMessages.shift();
    };
    await nextMessage();

    await honest({ base, seconds: warmupSeconds, caseIds, photo });
    const cpu0 = cpuSeconds(server.pid);
    const baseline = await honest({ base, seconds: phaseSeconds, caseIds, photo });
    const cpu1 = cpuSeconds(server.pid);
    worker.postMessage('go');
    const flood = await honest({ base, seconds: phaseSeconds, caseIds, photo });
    const abuser = await nextMessage();
    const cpu2 = cpuSeconds(server.pid);
    await worker.terminate();
    fs.closeSync(log);
    const logText = fs.readFileSync(logPath, 'utf8');
    return {
      caseCount: caseIds.length,
      baseline,
      flood,
      abuser,
      serverCpu: { baseline: cpu1 - cpu0, flood: cpu2 - cpu1 },
      logLines: logText.split('\n').filter(Boolean).length,
      limitLogLines: logText.split('\n').filter((line) => line.includes('rate limit reached')).length,
      logBytes: logText.length,
      logPath,
    };
  } finally {
    stopping = true;
    await stop();
  }
}

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};

function printHonest(title, rows) {
  console.log(`\n${title}\n`);
  console.log('| operation | requests no flood / flood | success % no flood / flood | p50 ms no flood / flood | p95 ms no flood / flood | p95 ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.base.requests} / ${row.flood.requests} | ${fixed(row.base.success, 2)} / ${fixed(row.flood.success, 2)} | ` +
        `${fixed(row.base.p50)} / ${fixed(row.flood.p50)} | ${fixed(row.base.p95)} / ${fixed(row.flood.p95)} | ${fixed(row.ratio, 2)} |`,
    );
  }
}

function honestRows(result) {
  const rows = operations.map((op) => ({ name: `\`${op}\``, base: summarise(result.baseline[op]), flood: summarise(result.flood[op]) }));
  rows.push({ name: 'all honest', base: summarise(allOf(result.baseline)), flood: summarise(allOf(result.flood)) });
  for (const row of rows) row.ratio = row.flood.p95 / row.base.p95;
  return rows;
}

function printAbuser(title, abuser) {
  console.log(`\n${title}\n`);
  console.log('| endpoint | requests | 2xx | 429 | other | req/s |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, count] of Object.entries(abuser.counts)) {
    const total = count.ok + count.limited + count.other;
    const others = Object.entries(count.statuses)
      .filter(([status]) => !(status >= 200 && status < 300) && status !== '429')
      .map(([status, n]) => `${status === '0' ? 'no answer' : status}: ${n}`)
      .join(', ');
    console.log(
      `| \`${name}\` | ${total} | ${count.ok} | ${count.limited} | ${count.other}${others ? ` (${others})` : ''} | ${fixed(total / abuser.elapsed, 0)} |`,
    );
  }
}

async function main() {
  console.log(
    `\nFlood bench: ${runs} run(s) on fresh servers; ${honestClients} honest clients (mean pause ${thinkMs} ms), ` +
      `${phaseSeconds} s without flood then ${phaseSeconds} s with one abusive address on ${abuserConnections} connections ` +
      `to each of ${floodedEndpoints.join(', ')}, default rate limits.`,
  );
  const results = [];
  for (let run = 1; run <= runs; run += 1) {
    const result = await runOnce(run);
    results.push(result);
    const rows = honestRows(result);
    printHonest(`### Run ${run}: honest clients (${result.caseCount} public cases read)`, rows);
    const failures = (phase) =>
      operations
        .filter((op) => result[phase][op].failed > 0)
        .map((op) => `${op} ${Object.entries(result[phase][op].statuses).map(([status, n]) => `${n}× ${status === '0' ? 'no answer' : status}`).join(', ')}`)
        .join('; ');
    for (const [phase, label] of [['baseline', 'without flood'], ['flood', 'with flood']]) {
      if (failures(phase)) console.log(`\nHonest failures ${label}: ${failures(phase)}.`);
    }
    printAbuser(`### Run ${run}: the abuser (${fixed(result.abuser.elapsed, 1)} s)`, result.abuser);
    console.log(
      `\nServer CPU: ${fixed(result.serverCpu.baseline)} s without flood, ${fixed(result.serverCpu.flood)} s with it ` +
        `(of ${2 * phaseSeconds} s on 2 cores). Server log: ${result.logLines} lines (${result.limitLogLines} ` +
        `"rate limit reached"), ${fixed(result.logBytes / 1e6, 2)} MB, kept at ${result.logPath}.`,
    );
  }
  if (runs > 1) {
    const perRun = results.map(honestRows);
    const pick = (index, get) => median(perRun.map((rows) => get(rows[index])));
    const rows = perRun[0].map((row, index) => ({
      name: row.name,
      base: {
        requests: pick(index, (r) => r.base.requests),
        success: pick(index, (r) => r.base.success),
        p50: pick(index, (r) => r.base.p50),
        p95: pick(index, (r) => r.base.p95),
      },
      flood: {
        requests: pick(index, (r) => r.flood.requests),
        success: pick(index, (r) => r.flood.success),
        p50: pick(index, (r) => r.flood.p50),
        p95: pick(index, (r) => r.flood.p95),
      },
      ratio: pick(index, (r) => r.ratio),
    }));
    printHonest(`### Honest clients, median of ${runs} runs (each column's median)`, rows);
    const counts = {};
    for (const name of Object.keys(results[0].abuser.counts)) {
      const of = (key) => median(results.map((result) => result.abuser.counts[name][key]));
      counts[name] = { ok: of('ok'), limited: of('limited'), other: of('other'), statuses: {} };
    }
    printAbuser(`### The abuser, median of ${runs} runs`, { counts, elapsed: median(results.map((r) => r.abuser.elapsed)) });
  }
  const verdictRows = runs > 1 ? null : honestRows(results[0]);
  const worst = (get) => Math.max(...(verdictRows ? [get(verdictRows)] : results.map((result) => get(honestRows(result)))));
  const all = (rows) => rows[rows.length - 1];
  const lowestSuccess = -worst((rows) => -all(rows).flood.success);
  const highestRatio = worst((rows) => Math.max(...rows.map((row) => row.ratio)));
  const allRatio = worst((rows) => all(rows).ratio);
  console.log(
    `\nTargets (worst run): honest success under flood ${fixed(lowestSuccess, 2)}% (≥ 99%: ${lowestSuccess >= 99 ? 'met' : 'not met'}); ` +
      `p95 ratio of all honest requests ${fixed(allRatio, 2)}, worst single operation ${fixed(highestRatio, 2)} ` +
      `(≤ 3: ${highestRatio <= 3 ? 'met' : allRatio <= 3 ? 'met for all requests together, not for every operation' : 'not met'}).`,
  );
}

if (isMainThread) await main();
else await abuse(workerData);
