// `npm run bench:lambda`: does training G against the class (λ > 0) fool the class more?
// Two generators from the same seed, λ = 0 and λ = 0.5, trained in lockstep on Node wasm. Every
// `--every` G steps each plays a round: the same noise and the same real digits for both arms,
// judged by a simulated class (lib/gan/simulated-class) and by the arm's own D; then H learns the
// class's verdicts as in the host's trainer. At the end a larger final set is judged the same way.
// Fool rates with 95 % bootstrap intervals (lib/game/stats); a section in docs/BENCHMARKS.md.
//
//   npm run bench:lambda -- --preset small --rounds 12 --every 100 --max-minutes 25
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmBackend } from "@/lib/gan/backend";
import { digitsToInput, loadClassifierFromBytes } from "@/lib/gan/classifier";
import { isPresetName, PRESETS, type PresetName } from "@/lib/gan/config";
import { decodeDigitsGzip, IMAGE_PIXELS } from "@/lib/gan/dataset";
import { sampleGrid } from "@/lib/gan/images";
import { registerCustomKernels } from "@/lib/gan/kernels";
import { evaluateQuality, referenceStats } from "@/lib/gan/quality";
import { createRng, normalNoise } from "@/lib/gan/rng";
import { calibrateClass, featureDistribution, judgeImages } from "@/lib/gan/simulated-class";
import type { CriticTraining } from "@/lib/gan/human-labels";
import { generate } from "@/lib/gan/train";
import { encodeGrayPng } from "@/server/api/history-png";
import {
  createArm,
  disposeArm,
  fakesOf,
  judgeRound,
  lambdaNow,
  teachCritic,
  trainArm,
  type Arm,
  type JudgedItem,
} from "./bench/lambda-arm";
import {
  deserializeResult,
  serializeResult,
  writeLambdaSection,
  type LambdaResult,
  type RoundRow,
} from "./bench/lambda-doc";
import { pct } from "./bench/lambda-report";

const ROOT = path.resolve(import.meta.dirname, "..");

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
function intFlag(name: string, fallback: number, min: number): number {
  const v = Number(flag(name, String(fallback)));
  if (!Number.isInteger(v) || v < min)
    throw new Error(`--${name}: expected an integer ≥ ${min}, got ${v}`);
  return v;
}

const presetArg = flag("preset", "small");
if (!isPresetName(presetArg))
  throw new Error(`--preset: expected one of ${Object.keys(PRESETS).join(", ")}, got ${presetArg}`);
const preset: PresetName = presetArg;
const opts = {
  preset,
  seed: intFlag("seed", 1, 0),
  rounds: intFlag("rounds", 12, 1),
  every: intFlag("every", 100, 1),
  fakes: intFlag("fakes", 16, 1),
  reals: intFlag("reals", 16, 1),
  students: intFlag("students", 30, 1),
  finalFakes: intFlag("final", 200, 1),
  lambda: Number(flag("lambda", "0.5")),
  maxMinutes: Number(flag("max-minutes", "25")),
  /** H's minibatch steps after each round; 30 is what the host's trainer does. */
  criticSteps: intFlag("critic-steps", 30, 1),
};
if (!(opts.lambda > 0 && opts.lambda <= 1))
  throw new Error(`--lambda: expected (0, 1], got ${opts.lambda}`);

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

async function loadDigits() {
  return decodeDigitsGzip(
    new Uint8Array(readFileSync(path.join(ROOT, "public/data/mnist.bin.gz"))),
  );
}

/**
 * --render <result.json> [more.json …]: rewrites the docs section from saved runs (e.g. after
 * editing the notes); the first is shown in full, the others as one line each (other seeds).
 */
async function render(files: string[]) {
  const digits = await loadDigits();
  const dist = featureDistribution(
    digits.pixels.subarray(0, (digits.count - digits.heldOut) * IMAGE_PIXELS),
  );
  const [main, ...others] = files.map((f) =>
    deserializeResult(readFileSync(path.resolve(f), "utf8")),
  );
  if (!main) throw new Error("--render: expected one or more result files, got none");
  console.log(writeLambdaSection(main, dist, !process.argv.includes("--no-doc"), others));
}

async function main() {
  const renderFrom = process.argv.indexOf("--render");
  if (renderFrom >= 0) {
    return render(process.argv.slice(renderFrom + 1).filter((a) => a.endsWith(".json")));
  }
  registerCustomKernels();
  const wasmPath = path.join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep;
  if (!(await setWasmBackend({ wasmPath }))) throw new Error("wasm backend failed to initialise");
  const digits = await loadDigits();
  const trainCount = digits.count - digits.heldOut;
  const trainBytes = digits.pixels.subarray(0, trainCount * IMAGE_PIXELS);
  // The class learns real digits from the training split (what D trains on too); the reals it is
  // shown come from the held-out split, which neither D nor the class has seen.
  const cls = calibrateClass(trainBytes, { students: opts.students, seed: opts.seed });
  const heldOut = (i: number) =>
    digits.pixels.subarray((trainCount + i) * IMAGE_PIXELS, (trainCount + i + 1) * IMAGE_PIXELS);
  const realsOf = (rng: ReturnType<typeof createRng>, n: number) => {
    const out = new Uint8Array(n * IMAGE_PIXELS);
    for (let i = 0; i < n; i++) out.set(heldOut(rng.nextInt(digits.heldOut)), i * IMAGE_PIXELS);
    return out;
  };
  const baseline = judgeImages(
    cls,
    digits.pixels.subarray(trainCount * IMAGE_PIXELS),
    createRng(opts.seed + 2),
  );
  const realCalledReal =
    baseline.reduce((s, v) => s + v.saidReal, 0) / (baseline.length * opts.students);
  log(
    `simulated class of ${opts.students}: ${pct(realCalledReal)} of verdicts on the ${digits.heldOut} held-out real digits say "real"`,
  );

  const cfg = PRESETS[preset];
  const arms: Arm[] = [
    createArm("λ = 0", 0, cfg, digits, opts.seed),
    createArm(`λ = ${opts.lambda}`, opts.lambda, cfg, digits, opts.seed),
  ];
  const rows: RoundRow[] = [];
  const start = performance.now();
  const minutes = () => (performance.now() - start) / 60_000;
  let slowestRound = 0;
  let stoppedEarly = false;
  log(
    `${preset} preset, seed ${opts.seed}: ${opts.rounds} rounds every ${opts.every} G steps, ${opts.fakes} fakes + ${opts.reals} reals a round, cap ${opts.maxMinutes} min`,
  );
  for (let r = 1; r <= opts.rounds; r++) {
    // Keep a fifth of the budget for the final set; stop before a round that would not fit.
    if (minutes() + slowestRound * 1.2 > opts.maxMinutes * 0.8) {
      stoppedEarly = true;
      log(`time cap: stopping after ${r - 1} rounds`);
      break;
    }
    const t0 = performance.now();
    const roundRng = createRng(opts.seed * 1000 + r);
    const realBytes = realsOf(roundRng, opts.reals);
    const z = normalNoise(opts.fakes, cfg.latentDim, roundRng);
    const judged: JudgedItem[][] = [];
    for (const arm of arms) {
      trainArm(arm, opts.every);
      // Same class rng in both arms: identical images get identical verdicts.
      const items = await judgeRound(arm, z, realBytes, cls, createRng(opts.seed * 7919 + r));
      judged.push(items);
    }
    z.dispose();
    const row: RoundRow = {
      round: r,
      step: arms[0]!.step,
      lambdas: arms.map(lambdaNow),
      items: judged,
    };
    rows.push(row);
    const critic: CriticTraining[] = [];
    for (const [i, arm] of arms.entries())
      critic.push(await teachCritic(arm, judged[i]!, opts.criticSteps));
    const elapsed = (performance.now() - t0) / 60_000;
    slowestRound = Math.max(slowestRound, elapsed);
    log(
      `round ${r} at G step ${row.step}: ` +
        arms
          .map((arm, i) => {
            const fakes = judged[i]!.filter((it) => it.fake);
            const cf = fakes.reduce((s, it) => s + it.saidReal, 0) / (fakes.length * opts.students);
            const pf = fakes.filter((it) => it.dProbability >= 0.5).length / fakes.length;
            return `${arm.name} (λ in force ${row.lambdas[i]}): class fooled ${pct(cf)}, police fooled ${pct(pf)}, H loss ${critic[i]!.lossBefore.toFixed(3)}→${critic[i]!.lossAfter.toFixed(3)}`;
          })
          .join(" | ") +
        ` (${(elapsed * 60).toFixed(0)} s)`,
    );
  }

  // The final set: many fakes from the same noise for both arms, and held-out reals.
  const finalRng = createRng(opts.seed * 1000 + 999);
  const finalReals = realsOf(finalRng, opts.finalFakes);
  const finalZ = normalNoise(opts.finalFakes, cfg.latentDim, finalRng);
  const final: JudgedItem[][] = [];
  for (const arm of arms)
    final.push(await judgeRound(arm, finalZ, finalReals, cls, createRng(opts.seed * 7919)));
  finalZ.dispose();

  // Digit quality of each arm by the bundled classifier, on 100 fixed-noise samples.
  const modelDir = path.join(ROOT, "public/models/classifier");
  const classifier = await loadClassifierFromBytes(
    JSON.parse(readFileSync(path.join(modelDir, "model.json"), "utf8")),
    new Uint8Array(readFileSync(path.join(modelDir, "weights.bin"))),
  );
  const refTrain = digitsToInput(digits, 0, 2000);
  const refHeld = digitsToInput(digits, trainCount, 100);
  const reference = await referenceStats(classifier, refTrain, refHeld);
  tf.dispose([refTrain, refHeld]);
  const fixedZ = normalNoise(100, cfg.latentDim, createRng(opts.seed + 1000));
  const quality = [];
  const grids: Uint8Array[] = [];
  for (const arm of arms) {
    const images = generate(arm.gan, fixedZ);
    quality.push(await evaluateQuality(classifier, images, reference));
    images.dispose();
    grids.push(await fakesOf(arm, fixedZ));
  }
  fixedZ.dispose();
  classifier.dispose();

  // Both arms' grids side by side, same noise in the same cell: λ = 0 left, λ > 0 right.
  const [ga, gb] = grids.map((g) => sampleGrid(g, 10, { format: "gray" }));
  const gap = 8;
  const width = ga!.width * 2 + gap;
  const pixels = new Uint8Array(width * ga!.height).fill(128);
  for (let y = 0; y < ga!.height; y++) {
    pixels.set(ga!.data.subarray(y * ga!.width, (y + 1) * ga!.width), y * width);
    pixels.set(gb!.data.subarray(y * gb!.width, (y + 1) * gb!.width), y * width + ga!.width + gap);
  }
  const outDir = path.join(ROOT, "tmp/bench-lambda");
  mkdirSync(outDir, { recursive: true });
  const variant = opts.criticSteps === 30 ? "" : `-h${opts.criticSteps}`;
  const gridFile = `tmp/bench-lambda/${preset}-seed${opts.seed}${variant}-step${arms[0]!.step}.png`;
  writeFileSync(path.join(ROOT, gridFile), encodeGrayPng(width, ga!.height, pixels));

  const result: LambdaResult = {
    opts,
    realCalledReal,
    heldOutCount: digits.heldOut,
    armNames: arms.map((a) => a.name),
    rows,
    final,
    quality,
    steps: arms[0]!.step,
    minutes: minutes(),
    stoppedEarly,
    loadAverage: os.loadavg()[0]!,
    gridFile,
    date: new Date().toISOString(),
  };
  const resultFile = path.join(outDir, `${preset}-seed${opts.seed}${variant}-result.json`);
  writeFileSync(resultFile, serializeResult(result));
  log(`result: ${path.relative(ROOT, resultFile)} (re-render the section with --render <file>)`);
  const dist = featureDistribution(trainBytes);
  const section = writeLambdaSection(result, dist, !process.argv.includes("--no-doc"));
  console.log(`\n${section}`);
  log(`grid: ${gridFile}`);
  arms.forEach(disposeArm);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
