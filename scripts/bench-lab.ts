// `npm run bench:lab`: frames and training steps per second on /lab while it trains, in headless
// Chromium against the production server (run `npm run build` first), next to the same training
// in Node without any drawing. Writes its section of docs/BENCHMARKS.md.
//   npm run bench:lab                 # 10 s per row
//   npm run bench:lab -- --seconds 5
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { chromium, type Browser } from "@playwright/test";
import { chromiumLaunchOptions } from "./bench/chromium";
import { DEFAULT_CONFIG } from "@/lib/lab/config";
import { createLab, disposeLab, labIteration } from "@/lib/lab/train";
import { writeBenchSection } from "./bench/report";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { seconds: { type: "string", default: "10" } } });
const SECONDS = Number(values.seconds);
const QUERY = "target=ring&seed=1";

interface Row {
  label: string;
  fps: number[];
  steps: number[];
  /** ms per frame: training, computing the picture, drawing it. */
  train: number[];
  view: number[];
  draw: number[];
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const db = path.join(mkdtempSync(path.join(tmpdir(), "stf-bench-lab-")), "bench.db");
  const child = spawn("npx", ["tsx", "server/index.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${db}`,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/lab`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not answer /lab within 2 minutes (did `npm run build` run?)");
}

async function measurePage(
  browser: Browser,
  origin: string,
  label: string,
  query: string,
  viewport: { width: number; height: number },
): Promise<Row> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${origin}/lab?${query}`);
  const plane = page.getByTestId("lab-plane");
  await plane.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 60_000 });
  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForTimeout(3000); // warm-up: first kernels, JIT
  const row: Row = { label, fps: [], steps: [], train: [], view: [], draw: [] };
  for (let i = 0; i < SECONDS; i++) {
    await page.waitForTimeout(1000);
    const read = async (name: string) => Number(await plane.getAttribute(name));
    row.fps.push(await read("data-fps"));
    row.steps.push(await read("data-steps-per-second"));
    row.train.push(await read("data-ms-train"));
    row.view.push(await read("data-ms-view"));
    row.draw.push(await read("data-ms-draw"));
  }
  await page.close();
  return row;
}

/** The same iterations in Node, no drawing: what training alone costs on this machine. */
async function measureNode(): Promise<Row> {
  await tf.setBackend("cpu");
  const lab = createLab({ ...DEFAULT_CONFIG, target: "ring", seed: 1 });
  for (let i = 0; i < 50; i++) labIteration(lab);
  const row: Row = {
    label: "Node, tfjs cpu, training only (no drawing)",
    fps: [],
    steps: [],
    train: [],
    view: [],
    draw: [],
  };
  for (let s = 0; s < SECONDS; s++) {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < 1000) {
      labIteration(lab);
      n++;
    }
    row.steps.push((n * 1000) / (performance.now() - start));
  }
  disposeLab(lab);
  return row;
}

const port = await freePort();
const server = await startServer(port);
const rows: Row[] = [];
let chromiumVersion = "";
try {
  const browser = await chromium.launch(chromiumLaunchOptions);
  chromiumVersion = browser.version();
  const origin = `http://127.0.0.1:${port}`;
  const desktop = { width: 1280, height: 800 };
  rows.push(await measurePage(browser, origin, "Chromium, cpu backend, 1280×800", QUERY, desktop));
  rows.push(
    await measurePage(browser, origin, "Chromium, cpu backend, phone 390×844", QUERY, {
      width: 390,
      height: 844,
    }),
  );
  rows.push(
    await measurePage(
      browser,
      origin,
      "Chromium, WebGL backend (software), 1280×800",
      `${QUERY}&backend=webgl`,
      desktop,
    ),
  );
  await browser.close();
} finally {
  if (server.pid) process.kill(-server.pid, "SIGTERM");
}
rows.push(await measureNode());

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "–");
const ms = (a: number[]) => (a.length ? median(a).toFixed(1) : "–");
const table = [
  "| Where | frames/s | G steps/s | ms per step (one D + one G) | ms per frame: training · picture · drawing |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...rows.map((r) => {
    const steps = median(r.steps);
    const frame = r.fps.length ? `${ms(r.train)} · ${ms(r.view)} · ${ms(r.draw)}` : "–";
    return `| ${r.label} | ${r.fps.length ? fmt(median(r.fps)) : "–"} | ${fmt(steps)} | ${(1000 / steps).toFixed(1)} | ${frame} |`;
  }),
].join("\n");
const body = `Default set-up (ring, seed 1: G and D 2 × 24 ReLU, batch 128, Adam), playing at full speed,
medians of one sample a second for ${SECONDS} s after a 3 s warm-up. Each animation frame trains for
12 ms (at least one D and one G step), then recomputes the picture (300 generated points, a
15 × 15 noise grid, and on alternate frames D on a 32 × 32 grid or the gradients at the 300
points) and draws it; the curves and numbers refresh 4 times a second.
${chromiumVersion ? `Headless Chromium ${chromiumVersion}.` : ""}

${table}

The rest of each frame (frame time minus the three columns) is the browser's: React's
refreshes, the charts, painting and compositing (software rendering here).

Rerun: \`npm run build && npm run bench:lab\`.`;
console.log(table);
writeBenchSection("lab", "GAN Lab frames and steps per second (npm run bench:lab)", body);
