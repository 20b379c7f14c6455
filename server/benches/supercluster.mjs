// The baseline of the clusters benchmark: npm supercluster (maxZoom 16, at the radius given) loads
// the same points and answers getClusters for the same viewports, in several rounds. Reads the
// points and viewports the Rust side wrote, prints one JSON line of timings.
import { readFileSync } from 'node:fs';
import Supercluster from 'supercluster';

const [pointsFile, viewportsFile, radiusArg, roundsArg] = process.argv.slice(2);
const radius = Number(radiusArg ?? 60);
const rounds = Number(roundsArg ?? 1);
const raw = readFileSync(pointsFile);
const coords = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
const viewports = JSON.parse(readFileSync(viewportsFile, 'utf8'));

const features = [];
for (let i = 0; i < coords.length; i += 2) {
  features.push({ type: 'Feature', properties: { id: i / 2 }, geometry: { type: 'Point', coordinates: [coords[i], coords[i + 1]] } });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// Supercluster keeps its trees in typed arrays, which Node counts outside the JS heap.
const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
if (global.gc) global.gc();
const heapBefore = used();
const started = process.hrtime.bigint();
const index = new Supercluster({ radius, maxZoom: 16 }).load(features);
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
if (global.gc) global.gc();
const indexMb = (used() - heapBefore) / 1048576;

// One untimed pass lets the JIT settle, as a long-running server would have.
for (const { zoom, boxes } of viewports) for (const box of boxes) index.getClusters(box, zoom);
// zooms[zoom] holds one { p50, p95, features } per round.
const zooms = {};
for (let round = 0; round < rounds; round++) {
  for (const { zoom, boxes } of viewports) {
    const times = [];
    let features = 0;
    for (const box of boxes) {
      const t = process.hrtime.bigint();
      const found = index.getClusters(box, zoom);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      features += found.length;
    }
    times.sort((a, b) => a - b);
    (zooms[zoom] ??= []).push({ p50: quantile(times, 0.5), p95: quantile(times, 0.95), features: features / boxes.length });
  }
}
console.log(JSON.stringify({ radius, load_ms: loadMs, index_mb: indexMb, zooms }));
