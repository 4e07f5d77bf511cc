// npm run bench:forge — the forge on a phone: how big the snapshot a student downloads is and how
// long it takes, and how long a slider move takes to show the new digit and the police's verdict,
// in headless Chromium at a phone viewport (390×844; there WebGL is software-rendered, so the
// forge measures and picks wasm). Runs the built app (npm run build first) on loopback with a
// throw-away database; the snapshots are freshly initialised nets of each preset (fixed seed):
// inference costs the same for trained and untrained weights.
//
//   npm run bench:forge [-- --moves 40 --presets classroom,small --no-write]
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { chromiumLaunchOptions } from "./bench/chromium";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS, type PresetName } from "../lib/gan/config";
import { IMAGE_PIXELS } from "../lib/gan/dataset";
import { encodeSnapshot } from "../lib/gan/snapshot";
import { createGan, dispose } from "../lib/gan/train";
import { PROTOCOL_VERSION } from "../lib/protocol";
import { startApp } from "../server/app";
import { openDatabase } from "../server/db";
import { loadEnv } from "../server/env";
import { createLogger } from "../server/logger";
import { migrateDatabase } from "../server/migrate";
import { connectClient, quantile } from "./bench/fault-room";
import { writeBenchSection } from "./bench/report";

process.env.NEXT_TELEMETRY_DISABLED = "1";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const MOVES = Number(arg("moves", "40"));
const PRESET_LIST = arg("presets", "classroom,small").split(",") as PresetName[];
const WRITE = !process.argv.includes("--no-write");

interface Row {
  preset: PresetName;
  latentDim: number;
  bytes: number;
  downloadMs: number;
  firstDrawMs: number;
  backend: string;
  moveMs: number[];
  netMs: number[];
}

/**
 * One slider move, timed in the page: input event → new frame rendered and painted. A string, not
 * a function: tsx would wrap named functions in a helper that does not exist in the page.
 */
const MOVES_SCRIPT = `async (n) => {
  const digit = document.querySelector("[data-testid=forge-digit]");
  const timing = document.querySelector("[data-testid=forge-timing]");
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  const total = [];
  const nets = [];
  for (let k = 0; k < n; k++) {
    const dial = document.querySelector("[data-testid=forge-dial-" + (k % 6) + "]");
    const before = Number(digit.dataset.frame || 0);
    const t0 = performance.now();
    // Always a new value (the same value would not redraw): 1.3 further, wrapping inside ±3.
    const v = Number(dial.value) + 1.3;
    setValue.call(dial, (v > 3 ? v - 6 : v).toFixed(2));
    dial.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve, reject) => {
      const check = () =>
        Number(digit.dataset.frame || 0) > before
          ? resolve()
          : performance.now() - t0 > 10000
            ? reject(new Error("no new digit within 10 s of a slider move"))
            : requestAnimationFrame(check);
      check();
    });
    // The frame after the commit is the one on screen.
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    total.push(performance.now() - t0);
    nets.push(Number((/in (\\d+) ms/.exec(timing.textContent || "") || [])[1]));
    await new Promise((r) => setTimeout(r, 30));
  }
  return { total, nets };
}`;

async function timedMoves(page: Page, moves: number): Promise<{ total: number[]; nets: number[] }> {
  return page.evaluate(`(${MOVES_SCRIPT})(${moves})`) as Promise<{
    total: number[];
    nets: number[];
  }>;
}

async function measure(
  preset: PresetName,
  url: string,
  browser: import("playwright-core").Browser,
): Promise<Row> {
  await tf.setBackend("cpu");
  const gan = createGan(PRESETS[preset], 20_261_126);
  // As the host uploads it (app/_lib/useHostTrainer): int8 for the big tensors.
  const weights = encodeSnapshot(gan, 100, { nets: ["G", "D", "H"], precision: "int8" });
  dispose(gan);

  const host = await connectClient(url);
  const created = await host.emitWithAck("room:create", {
    protocolVersion: PROTOCOL_VERSION,
    settings: {},
  });
  if (!created.ok) throw new Error(created.code);
  const auth = { code: created.data.code, hostToken: created.data.hostToken };
  const snap = await host.emitWithAck("trainer:snapshot", { ...auth, step: 100, weights });
  if (!snap.ok) throw new Error(`snapshot: ${snap.code}`);
  const images = new Uint8Array(16 * IMAGE_PIXELS).map((_, i) => (i * 7919) % 256);
  await host.emitWithAck("trainer:fakes", { ...auth, step: 100, images });
  const open = await host.emitWithAck("host:forge", { ...auth, open: true });
  if (!open.ok) throw new Error(`forge: ${open.code}`);

  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(`${url}/play/${auth.code}`);
  await page.getByLabel("Nickname").fill("Bench");
  const joined = Date.now();
  await page.getByRole("button", { name: "Join the game" }).click();
  await page.waitForSelector("[data-testid=forge-digit][data-frame='1']", { timeout: 120_000 });
  const firstDrawMs = Date.now() - joined;
  const download = await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((r) => r.name.endsWith("/forge")) as
      PerformanceResourceTiming | undefined;
    return e ? { bytes: e.encodedBodySize, ms: e.responseEnd - e.startTime } : null;
  });
  const timing = (await page.getByTestId("forge-timing").textContent()) ?? "";
  const backend = /\((\w+)\)/.exec(timing)?.[1] ?? "?";
  await timedMoves(page, 5); // warm-up: first kernels compile
  const { total, nets } = await timedMoves(page, MOVES);
  await context.close();
  host.disconnect();
  return {
    preset,
    latentDim: PRESETS[preset].latentDim,
    bytes: download?.bytes ?? weights.byteLength,
    downloadMs: download?.ms ?? NaN,
    firstDrawMs,
    backend,
    moveMs: total,
    netMs: nets,
  };
}

function table(rows: Row[]): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "—");
  const lines = [
    "| preset | z | snapshot download | download time (loopback) | same bytes at 20 Mbit/s | join → first digit | backend | slider move → digit + suspicion on screen, median / p95 | of which G + D |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.preset} | ${r.latentDim} | ${(r.bytes / 1024).toFixed(0)} KiB | ${f(r.downloadMs)} ms | ${f((r.bytes * 8) / 20_000)} ms | ${f(r.firstDrawMs)} ms | ${r.backend} | ${f(quantile(r.moveMs, 0.5))} / ${f(quantile(r.moveMs, 0.95))} ms | ${f(quantile(r.netMs, 0.5))} ms |`,
    ),
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("bench:forge runs the built app: run `npm run build` first.");
    process.exit(1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "stf-bench-forge-"));
  const env = loadEnv({
    ...process.env,
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
    LOG_LEVEL: "warn",
  });
  const logger = createLogger("warn");
  await migrateDatabase(env.DATABASE_URL, logger);
  const db = await openDatabase(env.DATABASE_URL);
  const app = await startApp({ env, logger, db, dev: false });
  const browser = await chromium.launch(chromiumLaunchOptions);
  const rows: Row[] = [];
  try {
    for (const preset of PRESET_LIST) {
      const row = await measure(preset, app.url, browser);
      rows.push(row);
      console.log(table([row]).split("\n").at(-1));
    }
  } finally {
    await browser.close();
    await app.close();
    await db.$disconnect();
  }
  const body = [
    "`npm run bench:forge` (scripts/bench-forge.ts): the built app on loopback; one student's phone",
    `(headless Chromium, 390×844, touch) joins a room whose teacher opened the forge. ${MOVES} slider`,
    "moves per preset after 5 warm-up moves; a move is timed in the page from the input event to",
    "the animation frame after the new digit and the police's P(real) are rendered. The snapshot is",
    'the room\'s G, D and H as the host uploads them (int8 for large tensors); "at 20 Mbit/s" is',
    "that size over a busy school Wi-Fi share, computed, not measured.",
    "",
    table(rows),
    "",
    "WebGL in this headless Chromium is SwiftShader (software): the forge's backend probe skips it",
    "and runs wasm (SIMD, one thread: the pages are not built for wasm threads).",
  ].join("\n");
  console.log(`\n${body}`);
  if (WRITE) writeBenchSection("forge", "The forge on a phone (bench:forge)", body);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
