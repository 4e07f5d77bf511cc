// Formats `npm run bench:gan` results as a markdown table and keeps them in their own section of
// docs/BENCHMARKS.md (other benchmarks own other sections of that file).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StepBenchResult } from "./bench-gan-core";

export interface BenchRow extends StepBenchResult {
  /** "Chromium wasm", "Node cpu", … */
  where: string;
  planned: number;
  env: Record<string, unknown>;
}

export interface BenchReport {
  date: string;
  cpu: string;
  cores: number;
  loadAverage: number;
  loadAverageEnd?: number;
  node: string;
  chromium: string | null;
  quick: boolean;
  rows: BenchRow[];
  firstStep: { label: string; ms: number | null; backend: string | null; reason: string | null }[];
  presets: Record<string, unknown>;
  totalSeconds?: number;
  /** Runs left out by the bench's overall time limit. */
  skipped?: string[];
  /** Chromium wasm: this run's kernels against the set before the speed pass, interleaved. */
  kernelAb?: KernelAbResult[];
}

export interface KernelAbResult {
  preset: string;
  beforeMs: number;
  nowMs: number;
  steps: number;
}

export const SECTION_HEADING = "## GAN training speed (npm run bench:gan)";

/** What lib/gan's wasm kernels do and how to measure them (kept with the table it explains). */
const KERNELS_NOTE =
  "How the wasm step is built (lib/gan/kernels, `registerCustomKernels()`): the convolutions run on " +
  "XNNPACK, the fast part of tfjs-backend-wasm, and are ~80 % of a baseline step " +
  "(~40 GFLOP/s per core, the step's ~16 GFLOP are fixed by the nets). Conv2DBackpropFilter (missing " +
  "in tfjs) is a dilated conv of the transposed tensors; Conv2DBackpropInput (a naive loop in tfjs) is " +
  "one sub-filter conv per output phase, interleaved in the heap. Layers with 1 input channel (G's " +
  "output, D's input) take one conv whose output channels stack all phases (input gradient) and " +
  "im2col + one matmul (filter gradient): XNNPACK's 8-channel tiles starve on 1 channel. The rest of " +
  "the step replaces tfjs's scalar kernels: LeakyRelu, its gradient (one fused pass instead of " +
  "Greater + Multiply + Select) and FusedBatchNorm run as hand-assembled WebAssembly SIMD loops on " +
  "the backend's own memory (the stock kernels branch or divide per element); Sum/Mean over N, H, W " +
  "run as XNNPACK average pooling (the stock ones transpose first); Identity shares memory instead " +
  "of copying; Add/Sub/Multiply/RealDiv/Square/Sqrt on equal shapes, a scalar or a per-channel " +
  "vector (Adam, biases, batchnorm) run as SIMD loops on the calling thread instead of ~150 thread-pool " +
  "hand-offs per step; a resize-conv G's 1-output-channel conv and its filter gradient run as " +
  "matrix products over channels (XNNPACK computes 8 output channels per tile), its ×2 upsampling " +
  "and its gradient as block copies and 2×2 block sums; Tile and transposed BatchMatMul avoid naive loops. " +
  "Every replacement is tested against " +
  "the stock or cpu kernel (bit-identical where the arithmetic is the same, within 1e-4 for convs " +
  "and sums, whose summation order differs). A matMul with one transposed operand is computed " +
  "directly or as the transpose of the swapped product, whichever makes XNNPACK repack fewer " +
  "values (it repacks its right operand on every call). " +
  "The machine is shared: with other processes busy on " +
  "both cores, wasm's second thread waits on a descheduled worker at every parallel op, and 1 thread " +
  "can beat 2 (`npm run bench:gan -- --profile baseline` prints both). Measure kernel variants with " +
  "`--kernels <preset> [--node]` (each formulation on the preset's layer shapes; --node: one " +
  "thread's CPU time, which other processes inflate far less than wall time) and " +
  "`--ab <preset> [--node] [--override <json>]` (whole steps, kernel sets interleaved).";

/** The PyTorch 1.13 CPU figure issue #4 measured on this machine for the baseline DCGAN. */
const PYTORCH_BASELINE_MS = 1265;
const GOAL_MS = 450;

const ms = (v: number | null | undefined) =>
  v == null ? "–" : Math.round(v).toLocaleString("en-US");

function envNote(row: BenchRow): string {
  const e = row.env;
  const parts: string[] = [];
  if (e.simd !== undefined) parts.push(`SIMD ${e.simd ? "on" : "off"}`);
  if (e.threads !== undefined)
    parts.push(`${String(e.threads)} thread${e.threads === 1 ? "" : "s"}`);
  if (e.crossOriginIsolated !== undefined)
    parts.push(e.crossOriginIsolated ? "isolated" : "not isolated");
  if (typeof e.renderer === "string") parts.push(e.renderer.replace(/\s*\(.*$/, ""));
  if (row.truncated) parts.push(`budget hit: ${row.steps} of ${row.planned} steps`);
  if (row.leakedTensors) parts.push(`LEAK ${row.leakedTensors} tensors`);
  return parts.join(", ");
}

export function formatTable(report: BenchReport): string {
  const ref =
    report.rows.find((r) => r.where === "Chromium wasm" && r.preset === "baseline")?.medianMs ??
    null;
  const lines = [
    "| Where | Preset | Batch | ms/step (median) | p10–p90 | CPU ms/step | Steps timed | Warm-up ms | × Chromium wasm baseline | Notes |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of report.rows) {
    const ratio = ref && r.medianMs ? (r.medianMs / ref).toFixed(2) : "–";
    lines.push(
      `| ${r.where} | ${r.preset} | ${r.batchSize} | ${ms(r.medianMs)} | ${ms(r.p10Ms)}–${ms(r.p90Ms)} | ${ms(r.cpuMedianMs)} | ${r.steps} | ${ms(r.warmupMs)} | ${ratio} | ${envNote(r)} |`,
    );
  }
  return lines.join("\n");
}

function summary(report: BenchReport): string[] {
  const browser = report.rows.filter(
    (r) => r.where.startsWith("Chromium") && r.preset === "baseline" && r.medianMs,
  );
  const best = browser.sort((a, b) => a.medianMs! - b.medianMs!)[0];
  const lines: string[] = [];
  if (best?.medianMs) {
    const verdict = best.medianMs <= GOAL_MS ? "meets" : "misses";
    lines.push(
      `- Best in-browser backend for the baseline DCGAN: **${best.where}, ${ms(best.medianMs)} ms/step** — ` +
        `${(best.medianMs / PYTORCH_BASELINE_MS).toFixed(2)}× the PyTorch-CPU reference of issue #4 ` +
        `(${PYTORCH_BASELINE_MS.toLocaleString("en-US")} ms); ${verdict} the ≤ ${GOAL_MS} ms goal (0.35×).`,
    );
  }
  const nodeWasm = report.rows.find((r) => r.where === "Node wasm" && r.preset === "baseline");
  if (nodeWasm?.cpuMedianMs && nodeWasm.medianMs) {
    lines.push(
      `- Load-independent view: Node wasm (one thread) spent **${ms(nodeWasm.cpuMedianMs)} ms of CPU** per ` +
        `baseline step (wall ${ms(nodeWasm.medianMs)} ms, so other processes slowed this run ` +
        `${(nodeWasm.medianMs / nodeWasm.cpuMedianMs).toFixed(1)}×): ` +
        `${(nodeWasm.cpuMedianMs / PYTORCH_BASELINE_MS).toFixed(2)}× the PyTorch-CPU reference (which used 2 threads) on one thread.`,
    );
  }
  const byWhere = (where: string) =>
    report.rows.find((r) => r.where === where && r.preset === "baseline")?.medianMs ?? null;
  const pairs: [string, string][] = [
    ["Chromium webgl", "Chromium wasm"],
    ["Node wasm", "Chromium wasm"],
    ["Node cpu", "Node wasm"],
  ];
  for (const [a, b] of pairs) {
    const va = byWhere(a);
    const vb = byWhere(b);
    if (va && vb) lines.push(`- Baseline, ${a} / ${b}: ${(va / vb).toFixed(2)}×`);
  }
  for (const k of report.kernelAb ?? []) {
    lines.push(
      `- Chromium wasm, ${k.preset}: lib/gan's kernels now vs before the speed pass of issue #4, ` +
        `interleaved in one page (${k.steps} steps each): ${ms(k.beforeMs)} → **${ms(k.nowMs)} ms/step** ` +
        `(${(k.nowMs / k.beforeMs).toFixed(2)}×)`,
    );
  }
  for (const f of report.firstStep) {
    lines.push(
      `- Page open → first finished training step (${f.label}, classroom preset): ` +
        `${f.ms == null ? "did not finish" : `**${ms(f.ms)} ms**`}` +
        (f.reason ? ` — backend chosen by measurement: ${f.reason}` : ""),
    );
  }
  return lines;
}

export function formatSection(report: BenchReport): string {
  const load =
    report.loadAverageEnd !== undefined
      ? `${report.loadAverage.toFixed(2)} at start, ${report.loadAverageEnd.toFixed(2)} at end`
      : report.loadAverage.toFixed(2);
  return [
    SECTION_HEADING,
    "",
    `Measured ${report.date.slice(0, 16).replace("T", " ")} UTC on ${report.cpu}, ${report.cores} logical cores ` +
      `(1-min load average ${load}: the machine is shared, so compare rows as ratios within this run), ` +
      `Node ${report.node}, Chromium ${report.chromium ?? "–"} headless. tfjs 4.22 with lib/gan's kernels ` +
      "(`registerCustomKernels()`). A step is one D step on 64 real + 64 generated digits and one G step " +
      "(batch as listed), losses read back each step. Median over the timed steps after one warm-up step " +
      "(warm-up = model build + first step). Chromium runs inside a dedicated Worker on a cross-origin " +
      "isolated page (COOP/COEP), as the app does. Rerun: `npm run bench:gan` (~10 min).",
    "",
    ...summary(report),
    "",
    formatTable(report),
    "",
    KERNELS_NOTE,
    "",
    "Fewer steps than 30 are marked where a backend is too slow for the time budget: software WebGL " +
      "(SwiftShader) gets two baseline steps; Node cpu gets what fits in its budget. " +
      "CPU ms/step is the Node process's CPU time per step: for single-threaded Node wasm it is the step " +
      "time the machine would give without the other load (Chromium's threads are not counted)." +
      (report.skipped?.length
        ? ` Skipped by the 13-minute limit of the bench: ${report.skipped.join(", ")}.`
        : ""),
    "",
  ].join("\n");
}

/** Replaces the section that starts with `heading` (up to the next "## ") or appends it. */
export function replaceSection(root: string, heading: string, section: string): void {
  const file = path.join(root, "docs/BENCHMARKS.md");
  mkdirSync(path.dirname(file), { recursive: true });
  const doc = existsSync(file)
    ? readFileSync(file, "utf8")
    : "# Benchmarks\n\nScripts with fixed seeds; each section says how to rerun it.\n\n";
  const start = doc.indexOf(heading);
  let next: string;
  if (start === -1) {
    next = `${doc.trimEnd()}\n\n${section}`;
  } else {
    // The section ends at the next heading or at the next section marker (<!-- name -->) of
    // another benchmark, whichever comes first: markers belong to the section after them.
    const ends = ["\n## ", "\n<!-- "]
      .map((m) => doc.indexOf(m, start + heading.length))
      .filter((i) => i !== -1);
    const after = ends.length ? Math.min(...ends) : -1;
    next =
      doc.slice(0, start) +
      section.trimEnd() +
      "\n" +
      (after === -1 ? "" : `\n${doc.slice(after + 1)}`);
  }
  writeFileSync(file, next.trimEnd() + "\n");
}

/** Replaces (or appends) this benchmark's section in docs/BENCHMARKS.md; returns the section. */
export function writeBenchSection(
  report: BenchReport,
  opts: { writeDoc: boolean; root: string },
): string {
  const section = formatSection(report);
  if (opts.writeDoc) replaceSection(opts.root, SECTION_HEADING, section);
  return section;
}
