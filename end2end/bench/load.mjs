// Throughput of one URL: `connections` kept-alive connections each send requests back to back for
// `seconds`, as a browser would (accepting brotli and gzip). Run alone:
//   node end2end/bench/load.mjs http://127.0.0.1:3340/favicon.svg [connections] [seconds]
import http from 'node:http';
import { pathToFileURL } from 'node:url';

/** Requests per second, p50 and p99 latency (ms), and the count of non-2xx answers. */
export async function load(url, { connections = 16, seconds = 5, warmup = 1 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const headers = { 'accept-encoding': 'br, gzip', accept: '*/*' };
  const get = () =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const request = http.get(url, { agent, headers }, (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve({ status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      });
      // A connection the server drops counts as a failed request; the run goes on.
      request.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
  const run = async (until, latencies, counts) => {
    while (Date.now() < until) {
      const { status, ms } = await get();
      latencies.push(ms);
      if (status < 200 || status >= 300) counts.failed += 1;
    }
  };
  const runAll = async (duration) => {
    const latencies = [];
    const counts = { failed: 0 };
    const start = Date.now();
    await Promise.all(Array.from({ length: connections }, () => run(start + duration * 1000, latencies, counts)));
    return { latencies, failed: counts.failed, elapsed: (Date.now() - start) / 1000 };
  };
  await runAll(warmup);
  const { latencies, failed, elapsed } = await runAll(seconds);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), requests: latencies.length, failed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [url, connections = '16', seconds = '5'] = process.argv.slice(2);
  const result = await load(url, { connections: Number(connections), seconds: Number(seconds) });
  console.log(
    `${url}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ` +
      `${result.requests} requests, ${result.failed} failed`,
  );
}
