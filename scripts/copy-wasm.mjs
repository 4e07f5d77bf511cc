// Copies tfjs-backend-wasm's .wasm binaries to public/tfjs-wasm/, where lib/gan/backend.ts
// expects them (served at /tfjs-wasm/). Run by postinstall and build; idempotent.
import { copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = path.join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
const to = path.join(root, "public/tfjs-wasm");

mkdirSync(to, { recursive: true });
const files = readdirSync(from).filter((f) => f.endsWith(".wasm"));
if (files.length === 0) throw new Error(`copy-wasm: expected .wasm files in ${from}, found none`);
// The threaded Emscripten glue, unbundled: wasm threads' pthread workers load it with
// importScripts (lib/gan/backend.ts WASM_THREADED_GLUE), since the bundled copy cannot run there.
const glueDir = path.join(root, "node_modules/@tensorflow/tfjs-backend-wasm/wasm-out");
const glue = "tfjs-backend-wasm-threaded-simd.js";
const sources = [...files.map((f) => [f, path.join(from, f)]), [glue, path.join(glueDir, glue)]];
let copied = 0;
for (const [file, src] of sources) {
  const dst = path.join(to, file);
  let same = false;
  try {
    const a = statSync(src);
    const b = statSync(dst);
    same = a.size === b.size && a.mtimeMs <= b.mtimeMs;
  } catch {
    same = false;
  }
  if (!same) {
    copyFileSync(src, dst);
    copied++;
  }
}
console.log(
  `copy-wasm: ${files.length} wasm binaries and the threaded glue in public/tfjs-wasm/ (${copied} copied)`,
);
