// `npm run bench:gan`: ms per training step (one D step + one G step) of every GAN preset on
// Chromium wasm, Chromium WebGL, Node wasm and Node cpu, plus page open → first finished step.
// Prints a table and rewrites its section of docs/BENCHMARKS.md. Every loop has a step count
// and a time budget, so the whole run ends in well under 15 minutes.
//
//   npm run bench:gan                 full run
//   npm run bench:gan -- --quick      a few steps each (checks the plumbing, not for the doc)
//   npm run bench:gan -- --no-doc     do not touch docs/BENCHMARKS.md
//   npm run bench:gan -- --profile [preset] [--threads n]   kernel times in Chromium wasm,
//                                     1 vs 2 threads (or n only), by kernel and by input shapes
//   npm run bench:gan -- --kernels [preset] [--threads n] [--reps n]   each formulation of the
//                                     conv-gradient kernels on the preset's layer shapes (A/B)
//   npm run bench:gan -- --ab [preset] [--variants a,b] [--rounds n] [--threads n] [--node]
//                                     [--override '{"gOutput":"resize-conv"}']   whole
//                                     training steps with kernel variants interleaved (A/B)
//   npm run bench:gan -- --wasm-only [--presets a,b]   Chromium wasm rows only (no doc)
import os from "node:os";
import path from "node:path";
import { readFile } from "node:fs/promises";
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS, type GanConfigOverrides, type PresetName } from "@/lib/gan/config";
import { decodeDigitsGzip } from "@/lib/gan/dataset";
import { setWasmBackend } from "@/lib/gan/backend";
import { registerCustomKernels } from "@/lib/gan/kernels";
import { abSteps, benchTrainingSteps, type StepBenchResult } from "./bench-gan-core";
import { openChromium, type ChromiumSession, type WorkerMessage } from "./bench-gan-browser";
import {
  activateVariant,
  benchKernels,
  layerCases,
  probeCases,
  type KernelTiming,
} from "./bench-gan-kernels";
import {
  writeBenchSection,
  type BenchReport,
  type BenchRow,
  type KernelAbResult,
} from "./bench-gan-report";

const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");
const ROOT = path.resolve(import.meta.dirname, "..");
const log = (m: string) => console.log(m);

const PRESET_ORDER: PresetName[] = ["baseline", "classroom", "small", "tiny"];

/** Past this, remaining Node runs are skipped (reported as such) so the bench stays < 15 min. */
const DEADLINE_MS = 13 * 60_000;
const benchStart = performance.now();
const pastDeadline = () => performance.now() - benchStart > DEADLINE_MS;
const skipped: string[] = [];

/** Steps and wall-clock budget (ms) per preset for a backend of a given speed class. */
type Plan = Partial<Record<PresetName, { steps: number; budgetMs: number }>>;

const full = (steps: number, budgetMs: number) => ({
  steps: QUICK ? 3 : steps,
  budgetMs: QUICK ? 5_000 : budgetMs,
});

const PLANS: Record<string, Plan> = {
  // classroom: the baseline's G with 4×4 kernels and half of D's channels (lib/gan/config.ts).
  "chromium-wasm": {
    baseline: full(30, 60_000),
    classroom: full(30, 60_000),
    small: full(30, 30_000),
    tiny: full(30, 15_000),
  },
  // Software WebGL (SwiftShader here): ~24 s per baseline step, so two steps.
  "chromium-webgl": {
    baseline: { steps: QUICK ? 1 : 2, budgetMs: 100_000 },
    small: full(5, 20_000),
    tiny: full(30, 15_000),
  },
  "node-wasm": {
    baseline: full(30, 60_000),
    classroom: full(30, 45_000),
    small: full(30, 30_000),
    tiny: full(30, 15_000),
  },
  // The cpu backend's forward convolutions are naive loops: a baseline step takes about a
  // minute, so one timed step says enough.
  "node-cpu": {
    baseline: { steps: 1, budgetMs: 1 },
    small: full(30, 20_000),
    tiny: full(30, 10_000),
  },
};

function runs(plan: Plan) {
  return PRESET_ORDER.filter((p) => plan[p]).map((preset) => ({ preset, ...plan[preset]! }));
}

function toRow(
  where: string,
  result: StepBenchResult,
  planned: number,
  env: Record<string, unknown>,
): BenchRow {
  return { where, ...result, planned, env };
}

async function nodeRows(digitsBytes: Uint8Array): Promise<BenchRow[]> {
  const digits = await decodeDigitsGzip(digitsBytes);
  registerCustomKernels();
  const rows: BenchRow[] = [];
  for (const backend of ["wasm", "cpu"] as const) {
    const t0 = performance.now();
    const ok =
      backend === "wasm"
        ? await setWasmBackend({
            wasmPath: path.join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep,
          })
        : await tf.setBackend("cpu");
    if (!ok) throw new Error(`Node ${backend} backend failed to initialise`);
    const env: Record<string, unknown> = { initMs: performance.now() - t0 };
    if (backend === "wasm") {
      env.simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      env.threads = (await import("@tensorflow/tfjs-backend-wasm")).getThreadsCount();
    }
    const key = `node-${backend}`;
    for (const r of runs(PLANS[key]!)) {
      if (pastDeadline()) {
        log(`  Node ${backend} ${r.preset}: skipped, the bench's 13-minute limit is reached`);
        skipped.push(`Node ${backend} ${r.preset}`);
        continue;
      }
      log(
        `  Node ${backend} ${r.preset}: up to ${r.steps} steps / ${(r.budgetMs / 1000).toFixed(0)} s`,
      );
      const result = await benchTrainingSteps({
        preset: r.preset,
        digits,
        steps: r.steps,
        budgetMs: r.budgetMs,
      });
      rows.push(toRow(`Node ${backend}`, result, r.steps, env));
      log(`    ${describe(result)}`);
    }
  }
  return rows;
}

function describe(r: StepBenchResult): string {
  const med = r.medianMs === null ? "–" : `${r.medianMs.toFixed(0)} ms/step`;
  return `${med} (n=${r.steps}, warm-up ${r.warmupMs.toFixed(0)} ms${r.leakedTensors ? `, LEAK ${r.leakedTensors}` : ""})`;
}

function messagesToRows(where: string, messages: WorkerMessage[], planned: Plan): BenchRow[] {
  const env = messages.find((m) => m.kind === "env") ?? {};
  const error = messages.find((m) => m.kind === "error");
  if (error) log(`  ${where}: error ${String(error.message).split("\n")[0]}`);
  return messages
    .filter((m) => m.kind === "result")
    .map((m) => {
      const result = m.result as StepBenchResult;
      return toRow(
        where,
        result,
        planned[result.preset]?.steps ?? 0,
        env as Record<string, unknown>,
      );
    });
}

async function chromiumRows(report: BenchReport): Promise<BenchRow[]> {
  const session = await openChromium(log);
  report.chromium = session.chromiumVersion;
  const rows: BenchRow[] = [];
  try {
    for (const backend of ["wasm", "webgl"] as const) {
      const key = `chromium-${backend}`;
      const plan = PLANS[key]!;
      // Budget for the page: the planned budgets plus generous room for warm-up steps.
      const timeoutMs =
        runs(plan).reduce((t, r) => t + r.budgetMs, 0) + (backend === "webgl" ? 240_000 : 60_000);
      log(
        `  Chromium ${backend}: ${runs(plan)
          .map((r) => r.preset)
          .join(", ")} (page timeout ${(timeoutMs / 1000).toFixed(0)} s)`,
      );
      const messages = await session.run({ kind: "steps", backend, runs: runs(plan) }, timeoutMs);
      const got = messagesToRows(`Chromium ${backend}`, messages, plan);
      for (const row of got) log(`    ${row.preset}: ${describe(row)}`);
      rows.push(...got);
      if (backend === "wasm") report.kernelAb = await kernelAb(session);
    }
    log(
      "  Chromium page open → first finished step (classroom preset, backend chosen by initBestBackend)",
    );
    const [cold, warm] = await session.firstStep(
      { kind: "first-step", preset: "classroom" },
      180_000,
    );
    for (const [label, messages] of [
      ["cold", cold],
      ["cached", warm],
    ] as const) {
      const first = messages?.find((m) => m.kind === "first-step");
      const backend = messages?.find((m) => m.kind === "backend")?.report as
        { backend: string; reason: string; msPerStep: Record<string, number | null> } | undefined;
      report.firstStep.push({
        label,
        ms: first ? first.pageMs : null,
        backend: backend?.backend ?? null,
        reason: backend?.reason ?? null,
      });
      log(
        `    ${label}: ${first ? `${first.pageMs.toFixed(0)} ms` : "did not finish"} (${backend?.reason ?? "no backend report"})`,
      );
    }
  } finally {
    await session.close();
  }
  return rows;
}

/**
 * lib/gan's kernels now against the set before issue #4's speed pass ("before": conv gradients
 * by phase convs and dilated convs only, every other kernel stock), interleaved in one page.
 */
async function kernelAb(session: ChromiumSession): Promise<KernelAbResult[]> {
  const results: KernelAbResult[] = [];
  for (const preset of ["baseline", "classroom"] as const) {
    const rounds = QUICK ? 1 : 6;
    const stepsPerRound = QUICK ? 1 : 3;
    log(
      `  Chromium wasm ${preset}: kernels before vs now, ${rounds} × ${stepsPerRound} steps each`,
    );
    const messages = await session.run(
      { kind: "ab", preset, variants: ["before", "registered"], rounds, stepsPerRound },
      300_000,
    );
    const times = messages.find((m) => m.kind === "ab")?.times as
      Record<string, number[]> | undefined;
    if (!times) {
      log(`    ${preset}: no A/B result`);
      continue;
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const r = {
      preset,
      beforeMs: med(times.before!),
      nowMs: med(times.registered!),
      steps: times.registered!.length,
    };
    log(
      `    ${preset}: ${r.beforeMs.toFixed(0)} → ${r.nowMs.toFixed(0)} ms/step (${(r.nowMs / r.beforeMs).toFixed(2)}×)`,
    );
    results.push(r);
  }
  return results;
}

/** `--profile [preset]`: kernel time per step in Chromium wasm with 1 and with 2 threads. */
async function profile(preset: PresetName): Promise<void> {
  const session = await openChromium(log);
  try {
    const ti = process.argv.indexOf("--threads");
    const only = ti >= 0 ? Number(process.argv[ti + 1]) : NaN;
    for (const threads of Number.isInteger(only) && only > 0 ? [only] : [1, 2]) {
      const messages = await session.run({ kind: "profile", preset, steps: 4, threads }, 600_000);
      const error = messages.find((m) => m.kind === "error");
      if (error) throw new Error(String(error.message));
      const env = messages.find((m) => m.kind === "env");
      const result = messages.find((m) => m.kind === "profile") as
        | (WorkerMessage & {
            msPerStep: number;
            kernels: Record<string, number>;
            byShape: Record<string, number>;
          })
        | undefined;
      if (!result) throw new Error("the profile page sent no result");
      log(
        `Chromium wasm, ${preset}, ${String(env?.threads)} thread(s): ${result.msPerStep.toFixed(0)} ms/step while profiled; kernel ms per step (nested kernels counted in their callers too):`,
      );
      for (const [name, ms] of Object.entries(result.kernels)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)) {
        log(`  ${name.padEnd(28)} ${ms.toFixed(1)}`);
      }
      log("  by input shapes:");
      for (const [name, ms] of Object.entries(result.byShape)
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(process.env.PROFILE_ROWS ?? 25))) {
        log(`    ${name.padEnd(70)} ${ms.toFixed(1)}`);
      }
    }
  } finally {
    await session.close();
  }
}

/** `--wasm-only`: the Chromium wasm rows alone (a quick before/after check; the doc is untouched). */
async function wasmOnly(): Promise<void> {
  const pi = process.argv.indexOf("--presets");
  const wanted = pi >= 0 ? (process.argv[pi + 1] ?? "").split(",") : PRESET_ORDER;
  const plan = Object.fromEntries(
    Object.entries(PLANS["chromium-wasm"]!).filter(([p]) => wanted.includes(p)),
  ) as Plan;
  log(
    `bench:gan --wasm-only, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const session = await openChromium(log);
  try {
    const messages = await session.run(
      { kind: "steps", backend: "wasm", runs: runs(plan) },
      600_000,
    );
    for (const row of messagesToRows("Chromium wasm", messages, plan)) {
      log(
        `  ${row.preset}: ${describe(row)}, p10–p90 ${row.p10Ms?.toFixed(0)}–${row.p90Ms?.toFixed(0)}`,
      );
    }
  } finally {
    await session.close();
  }
  log(
    `load at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

/** `--kernels [preset]`: each conv-gradient formulation on the preset's layers, interleaved. */
async function kernels(preset: PresetName | "probe"): Promise<void> {
  const threads = Number(argValue("--threads") ?? 2);
  const reps = Number(argValue("--reps") ?? 15);
  const inNode = args.has("--node");
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const where = inNode
    ? "Node wasm, 1 thread, CPU ms"
    : `Chromium wasm, ${threads} thread(s), wall ms`;
  log(`bench:gan --kernels ${preset}, ${where}, ${reps} reps, load ${load()}`);
  let timings: KernelTiming[];
  if (inNode) {
    registerCustomKernels();
    const wasmPath = path.join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep;
    if (!(await setWasmBackend({ wasmPath }))) throw new Error("Node wasm failed to start");
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const cases = preset === "probe" ? probeCases(64) : layerCases(preset);
    timings = benchKernels(cases, reps, cpuMs);
  } else {
    const session = await openChromium(log);
    try {
      const messages = await session.run({ kind: "kernels", preset, reps, threads }, 600_000);
      const error = messages.find((m) => m.kind === "error");
      if (error) throw new Error(String(error.message));
      const result = messages.find((m) => m.kind === "kernels") as
        (WorkerMessage & { timings: KernelTiming[] }) | undefined;
      if (!result) throw new Error("the kernels page sent no result");
      timings = result.timings;
    } finally {
      await session.close();
    }
  }
  const totals: Record<string, number> = {};
  for (const t of timings) {
    const names = Object.keys(t.ms);
    const first = t.ms[names[0]!]!;
    const cells = names.map(
      (n) => `${n} ${t.ms[n]!.toFixed(1)} (${(t.ms[n]! / first).toFixed(2)}×)`,
    );
    log(`  ${t.label.padEnd(22)} ×${t.callsPerStep} ${t.shapes}`);
    log(`    ${cells.join("  ")}`);
    for (const n of names) {
      const key = `${t.kernel} ${n}`;
      totals[key] = (totals[key] ?? 0) + t.ms[n]! * t.callsPerStep;
    }
  }
  log("  ms per training step, by kernel and formulation:");
  for (const [k, ms] of Object.entries(totals)) log(`    ${k.padEnd(36)} ${ms.toFixed(1)}`);
  log(`load at end ${load()}`);
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `--ab [preset]`: whole training steps, kernel variants interleaved in one page. */
async function ab(preset: PresetName): Promise<void> {
  const variants = (argValue("--variants") ?? "before,registered").split(",");
  const rounds = Number(argValue("--rounds") ?? 6);
  const stepsPerRound = Number(argValue("--steps") ?? 4);
  const threads = Number(argValue("--threads") ?? 2);
  const inNode = args.has("--node");
  const overridesArg = argValue("--override");
  const overrides = overridesArg ? (JSON.parse(overridesArg) as GanConfigOverrides) : undefined;
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const where = inNode
    ? "Node wasm, 1 thread, CPU ms"
    : `Chromium wasm, ${threads} thread(s), wall ms`;
  log(
    `bench:gan --ab ${preset}${overridesArg ? ` ${overridesArg}` : ""}: ${variants.join(" vs ")}, ${rounds} rounds × ${stepsPerRound} steps, ${where}, load ${load()}`,
  );
  let times: Record<string, number[]>;
  if (inNode) {
    registerCustomKernels();
    const wasmPath = path.join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep;
    if (!(await setWasmBackend({ wasmPath }))) throw new Error("Node wasm failed to start");
    const digits = await decodeDigitsGzip(
      new Uint8Array(await readFile(path.join(ROOT, "public/data/mnist.bin.gz"))),
    );
    times = await abSteps({
      preset,
      digits,
      variants: variants.map((name) => ({ name, activate: () => activateVariant(name) })),
      rounds,
      stepsPerRound,
      ...(overrides ? { overrides } : {}),
      clock: () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      },
    });
  } else {
    const session = await openChromium(log);
    try {
      const messages = await session.run(
        {
          kind: "ab",
          preset,
          variants,
          rounds,
          stepsPerRound,
          threads,
          ...(overrides ? { overrides } : {}),
        },
        600_000,
      );
      const error = messages.find((m) => m.kind === "error");
      if (error) throw new Error(String(error.message));
      const result = messages.find((m) => m.kind === "ab") as
        (WorkerMessage & { times: Record<string, number[]> }) | undefined;
      if (!result) throw new Error("the A/B page sent no result");
      times = result.times;
    } finally {
      await session.close();
    }
  }
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)]!;
  };
  const first = med(times[variants[0]!]!);
  for (const v of variants) {
    const m = med(times[v]!);
    log(
      `  ${v.padEnd(12)} median ${m.toFixed(0)} ms/step (${(m / first).toFixed(3)}× ${variants[0]}), n=${times[v]!.length}`,
    );
  }
  log(`load at end ${load()}`);
}

async function main() {
  if (args.has("--ab")) {
    const name = argValue("--ab");
    await ab(name && name in PRESETS ? (name as PresetName) : "baseline");
    return;
  }
  if (args.has("--kernels")) {
    const name = process.argv[process.argv.indexOf("--kernels") + 1];
    await kernels(
      name === "probe" || (name && name in PRESETS) ? (name as PresetName) : "baseline",
    );
    return;
  }
  if (args.has("--wasm-only")) {
    await wasmOnly();
    return;
  }
  if (args.has("--profile")) {
    const i = process.argv.indexOf("--profile");
    const name = process.argv[i + 1];
    await profile(name && name in PRESETS ? (name as PresetName) : "baseline");
    return;
  }
  const started = performance.now();
  const cpus = os.cpus();
  const report: BenchReport = {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    loadAverage: os.loadavg()[0]!,
    node: process.version,
    chromium: null,
    quick: QUICK,
    rows: [],
    firstStep: [],
    presets: Object.fromEntries(PRESET_ORDER.map((p) => [p, PRESETS[p]])),
  };
  log(
    `bench:gan on ${report.cpu} (${report.cores} logical cores), load ${report.loadAverage.toFixed(2)}${QUICK ? " — QUICK" : ""}`,
  );
  const digitsBytes = new Uint8Array(await readFile(path.join(ROOT, "public/data/mnist.bin.gz")));
  log("Chromium (headless, dedicated Worker, COOP/COEP page)");
  report.rows.push(...(await chromiumRows(report)));
  log("Node");
  report.rows.push(...(await nodeRows(digitsBytes)));
  report.loadAverageEnd = os.loadavg()[0]!;
  report.skipped = skipped;
  report.totalSeconds = (performance.now() - started) / 1000;
  const table = writeBenchSection(report, {
    writeDoc: !args.has("--no-doc") && !QUICK,
    root: ROOT,
  });
  log("");
  log(table);
  log(`done in ${report.totalSeconds.toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
