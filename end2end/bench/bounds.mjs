// How fast oversized or unbounded requests are refused, beside an ordinary refusal in the same run.
// Run by `./dev.sh bench bounds` against the release server (port BOUNDS_PORT, default 3342);
// BOUNDS_RUNS sets the requests per kind (default 21). Prints one table row per kind: the answer's
// status (0: the server closed the connection before the client had sent the whole body, a refusal
// the client could not read), and the median and worst time from sending the request to the answer's
// head or the connection's close.
import http from 'node:http';
import { startServer } from './server.mjs';

const port = Number(process.env.BOUNDS_PORT ?? 3342);
const runs = Number(process.env.BOUNDS_RUNS ?? 21);

const report = (photos) => ({
  submission_key: `bounds-${Math.random().toString(36).slice(2)}`,
  category: 'environment',
  title: 'Rác thải đổ trộm ven sông',
  description: 'Một đống rác lớn bị đổ trộm bên bờ sông Nhật Lệ.',
  lat: 17.4689,
  lon: 106.6222,
  photos,
});

/** 16 MB of JSON: a report naming about 240,000 distinct photo ids. */
function hugePhotoList() {
  const ids = [];
  let size = 0;
  for (let n = 0; size < 16 * 1024 * 1024 - 200; n += 1) {
    const id = n.toString(16).padStart(64, '0');
    ids.push(id);
    size += id.length + 3;
  }
  return Buffer.from(JSON.stringify({ input: report(ids) }));
}

/** Sends one request; with `chunked`, the body goes without a Content-Length, in 64 kB pieces. */
function send(base, { method = 'GET', path, body, chunked = false }) {
  return new Promise((resolve, reject) => {
    const headers = { origin: base, 'accept-language': 'vi' };
    if (body) {
      headers['content-type'] = 'application/json';
      if (!chunked) headers['content-length'] = body.length;
    }
    const started = process.hrtime.bigint();
    let answer = null;
    const request = http.request(`${base}${path}`, { method, headers, agent: false }, (response) => {
      // Timed to the answer's head: a refusal may come, and the connection close, before the
      // whole body was sent.
      answer = { status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 };
      response.on('data', () => {});
      response.on('end', () => resolve(answer));
    });
    request.on('error', (error) => {
      if (answer) resolve(answer);
      else if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    // The socket itself reports the broken pipe of a body cut short; the request's events decide.
    request.on('socket', (socket) => socket.on('error', () => {}));
    request.on('close', () => resolve(answer ?? { status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    if (body && chunked) {
      for (let at = 0; at < body.length; at += 65536) request.write(body.subarray(at, at + 65536));
      request.end();
    } else {
      request.end(body);
    }
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const huge = hugePhotoList();
const kinds = [
  ['an ordinary bad report (no title), 0.3 kB', { method: 'POST', path: '/api/submit_case', body: Buffer.from(JSON.stringify({ input: { ...report([]), title: '' } })) }],
  [`a 16 MB photo list (${(huge.length / 1048576).toFixed(1)} MB), with Content-Length`, { method: 'POST', path: '/api/submit_case', body: huge }],
  ['the same 16 MB photo list, chunked (no Content-Length)', { method: 'POST', path: '/api/submit_case', body: huge, chunked: true }],
  ['statistics for 1000-01-01 to 9999-12-31', { path: '/api/v1/stats?from=1000-01-01&to=9999-12-31' }],
  ['clusters over the whole world at zoom 18', { path: '/api/v1/clusters?bbox=-180,-85,180,85&zoom=18' }],
  ['Open311 page 2147483649 of 1,000', { path: '/open311/v2/requests.json?page=2147483649&page_size=1000' }],
];

const { base, stop } = await startServer({ port, env: { HIENTRUONG_RATE_LIMITS: 'off' } });
try {
  console.log(`| request | status | median ms | worst ms |`);
  console.log(`|---|---|---|---|`);
  for (const [name, request] of kinds) {
    const times = [];
    const statuses = new Set();
    for (let run = 0; run < runs; run += 1) {
      const { status, ms } = await send(base, request);
      statuses.add(status);
      times.push(ms);
    }
    console.log(`| ${name} | ${[...statuses].join(', ')} | ${median(times).toFixed(2)} | ${Math.max(...times).toFixed(2)} |`);
  }
} finally {
  await stop();
}
