// Chromium half of `npm run bench:gan`: bundles scripts/bench/gan-worker.ts with esbuild, serves
// it with the wasm binaries and the dataset from a loopback server that sends COOP/COEP (so the
// page is cross-origin isolated and wasm gets threads), and drives headless Chromium.
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "@playwright/test";
import type { WorkerRequest } from "./bench/gan-worker";
import { chromiumLaunchOptions } from "./bench/chromium";

const ROOT = path.resolve(import.meta.dirname, "..");

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench:gan</title><script>
window.messages = []; window.benchDone = false;
const req = JSON.parse(new URLSearchParams(location.search).get("req"));
const worker = new Worker("/bench-worker.js");
worker.onmessage = (e) => {
  window.messages.push({ ...e.data, pageMs: performance.now() });
  if (e.data.kind === "done" || e.data.kind === "error") window.benchDone = true;
};
worker.onerror = (e) => { window.messages.push({ kind: "error", message: String(e.message) }); window.benchDone = true; };
worker.postMessage(req);
</script>`;

export type WorkerMessage = { kind: string; pageMs: number } & Record<string, unknown>;

export interface ChromiumSession {
  /** Opens a fresh page, posts the request to a new worker, returns all its messages. */
  run(req: WorkerRequest, timeoutMs: number): Promise<WorkerMessage[]>;
  /** Page open → first finished training step, twice in one profile: cold, then cached. */
  firstStep(req: WorkerRequest, timeoutMs: number): Promise<WorkerMessage[][]>;
  chromiumVersion: string;
  close(): Promise<void>;
}

function contentType(file: string): string {
  if (file.endsWith(".js")) return "text/javascript";
  if (file.endsWith(".wasm")) return "application/wasm";
  if (file.endsWith(".html")) return "text/html; charset=utf-8";
  return "application/octet-stream";
}

async function bundleWorker(outDir: string): Promise<string> {
  const outfile = path.join(outDir, "bench-worker.js");
  await build({
    entryPoints: [path.join(ROOT, "scripts/bench/gan-worker.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    outfile,
    logLevel: "warning",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return outfile;
}

function serve(files: Record<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const headers = {
      // Cross-origin isolation: SharedArrayBuffer, hence wasm threads.
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "max-age=3600",
    };
    if (url.pathname === "/") {
      res.writeHead(200, {
        ...headers,
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
      });
      res.end(PAGE);
      return;
    }
    const file = files[url.pathname];
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    if (!file) {
      res.writeHead(404, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "Content-Type": contentType(file) });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    }),
  );
}

export async function openChromium(log: (m: string) => void): Promise<ChromiumSession> {
  const outDir = mkdtempSync(path.join(tmpdir(), "bench-gan-"));
  const workerFile = await bundleWorker(outDir);
  const wasmDir = path.join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
  const files: Record<string, string> = {
    "/bench-worker.js": workerFile,
    "/data/mnist.bin.gz": path.join(ROOT, "public/data/mnist.bin.gz"),
  };
  for (const name of [
    "tfjs-backend-wasm.wasm",
    "tfjs-backend-wasm-simd.wasm",
    "tfjs-backend-wasm-threaded-simd.wasm",
  ]) {
    files[`/tfjs-wasm/${name}`] = path.join(wasmDir, name);
  }
  // The unbundled threaded glue the pthread workers load (as the app serves it from public/).
  files["/tfjs-wasm/tfjs-backend-wasm-threaded-simd.js"] = path.join(
    wasmDir,
    "../wasm-out/tfjs-backend-wasm-threaded-simd.js",
  );
  const { server, origin } = await serve(files);
  const browser: Browser = await chromium.launch(chromiumLaunchOptions);

  const collect = async (
    page: import("@playwright/test").Page,
    req: WorkerRequest,
    timeoutMs: number,
  ): Promise<WorkerMessage[]> => {
    await page.goto(`${origin}/?req=${encodeURIComponent(JSON.stringify(req))}`);
    try {
      await page.waitForFunction(
        () => (window as unknown as { benchDone: boolean }).benchDone,
        null,
        {
          timeout: timeoutMs,
          polling: 250,
        },
      );
    } catch {
      log(
        `  [chromium] timed out after ${(timeoutMs / 1000).toFixed(0)} s; keeping partial results`,
      );
    }
    return page.evaluate(() => (window as unknown as { messages: WorkerMessage[] }).messages);
  };

  const newPage = async (context: import("@playwright/test").BrowserContext) => {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") log(`  [chromium] ${m.text()}`);
    });
    return page;
  };

  return {
    chromiumVersion: browser.version(),
    async run(req, timeoutMs) {
      const context = await browser.newContext();
      try {
        return await collect(await newPage(context), req, timeoutMs);
      } finally {
        await context.close();
      }
    },
    async firstStep(req, timeoutMs) {
      const context = await browser.newContext();
      try {
        const page = await newPage(context);
        const cold = await collect(page, req, timeoutMs);
        const warm = await collect(page, req, timeoutMs);
        return [cold, warm];
      } finally {
        await context.close();
      }
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
