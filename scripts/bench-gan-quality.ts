// `npm run bench:gan:quality`: trains a preset from a fixed seed on Node wasm and prints the first
// step at which ≥ 80 % of 100 fixed-noise samples get ≥ 0.9 classifier confidence (and the first
// at which the full quality rule, diversity included, holds). Saves the sample grid at that step
// (or at the end) as a PNG under tmp/bench-gan/. Capped in steps and minutes.
//
//   npm run bench:gan:quality -- --preset classroom --max-steps 1500 --max-minutes 12 --every 50
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import {
  architectureId,
  isPresetName,
  PRESETS,
  resolveConfig,
  type GanConfigOverrides,
  type PresetName,
} from "@/lib/gan/config";
import { decodeDigitsGzip } from "@/lib/gan/dataset";
import { setWasmBackend } from "@/lib/gan/backend";
import { registerCustomKernels } from "@/lib/gan/kernels";
import { createRealSampler } from "@/lib/gan/batches";
import {
  createGan,
  disposeStats,
  generate,
  trainDiscriminatorStep,
  trainGeneratorStep,
} from "@/lib/gan/train";
import { createRng, normalNoise } from "@/lib/gan/rng";
import { digitsToInput, loadClassifierFromBytes } from "@/lib/gan/classifier";
import {
  evaluateQuality,
  QUALITY_RULE,
  referenceStats,
  type QualityReport,
} from "@/lib/gan/quality";
import { sampleGrid } from "@/lib/gan/images";
import { buildGenerator } from "@/lib/gan/models";
import os from "node:os";
import { replaceSection } from "./bench-gan-report";

/** Above this share of one class the samples count as collapsed, however confident. */
const COLLAPSED_CLASS_SHARE = 0.5;

const HEADING = "## GAN steps to quality (npm run bench:gan:quality)";

const ROOT = path.resolve(import.meta.dirname, "..");

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const presetArg = flag("preset", "classroom");
if (!isPresetName(presetArg))
  throw new Error(`--preset: expected one of ${Object.keys(PRESETS).join(", ")}, got ${presetArg}`);
const preset: PresetName = presetArg;
const maxSteps = Number(flag("max-steps", "1500"));
const maxMinutes = Number(flag("max-minutes", "12"));
const every = Number(flag("every", "50"));
const seed = Number(flag("seed", "1"));
/** `--keep-going`: train to the step cap after the rule is met, to see whether quality holds. */
const keepGoing = process.argv.includes("--keep-going");
/** Experiments: `--override '{"kernelSize":4}'` trains the preset with these fields changed. */
const override = JSON.parse(flag("override", "{}")) as GanConfigOverrides;
/** Names the grid files of an experiment (default: the preset). */
const tag = flag("tag", preset);
/** Diagnostics: also score exponential moving averages of G's weights with these decays. */
const emaDecays = flag("ema", "").split(",").filter(Boolean).map(Number);
/** Save the sample grid every N steps too (0 = only at the quality step and the end). */
const gridEvery = Number(flag("grid-every", "0"));
const writeDoc = !process.argv.includes("--no-doc") && Object.keys(override).length === 0;

/** A grayscale 8-bit PNG (enough for a sample grid; no dependency). */
function png(width: number, height: number, gray: Uint8ClampedArray): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = gray[y * width + x]!;
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function main() {
  registerCustomKernels();
  const wasmPath = path.join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep;
  if (!(await setWasmBackend({ wasmPath }))) throw new Error("wasm backend failed to initialise");
  const digits = await decodeDigitsGzip(
    new Uint8Array(readFileSync(path.join(ROOT, "public/data/mnist.bin.gz"))),
  );
  const modelDir = path.join(ROOT, "public/models/classifier");
  const classifier = await loadClassifierFromBytes(
    JSON.parse(readFileSync(path.join(modelDir, "model.json"), "utf8")),
    new Uint8Array(readFileSync(path.join(modelDir, "weights.bin"))),
  );
  const train = digitsToInput(digits, 0, 2000);
  const heldOut = digitsToInput(digits, digits.count - digits.heldOut, 100);
  const reference = await referenceStats(classifier, train, heldOut);
  tf.dispose([train, heldOut]);
  console.log(
    `real held-out digits: confident ${(reference.real.confidentShare * 100).toFixed(0)} %, ` +
      `IS ${reference.real.inceptionScore.toFixed(2)}, FID ${reference.real.fid.toFixed(2)}`,
  );

  const cfg = resolveConfig(preset, override);
  if (Object.keys(override).length > 0) console.log(`overrides: ${JSON.stringify(override)}`);
  const gan = createGan(cfg, seed);
  const sampler = createRealSampler(digits, { batchSize: cfg.batchSize, seed });
  const fixedZ = normalNoise(100, cfg.latentDim, createRng(seed + 1000));
  const outDir = path.join(ROOT, "tmp/bench-gan");
  mkdirSync(outDir, { recursive: true });
  const saveGrid = async (step: number) => {
    const images = generate(gan, fixedZ);
    const bytes = new Uint8Array(
      (await tf
        .tidy(() => tf.cast(tf.round(tf.mul(tf.add(images, 1), 127.5)), "int32"))
        .data()) as Int32Array,
    );
    images.dispose();
    const grid = sampleGrid(bytes, 10, { format: "gray" });
    // Made again each time: other tools may clear scratch directories during a long run.
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${tag}-seed${seed}-step${step}.png`);
    writeFileSync(file, png(grid.width, grid.height, grid.data));
    return file;
  };

  const emas = emaDecays.map((decay) => {
    const model = buildGenerator(cfg);
    model.weights.forEach((w, i) => w.write(gan.generator.weights[i]!.read()));
    return { decay, model };
  });
  console.log(
    `${preset}, seed ${seed}: up to ${maxSteps} steps or ${maxMinutes} min, evaluating every ${every}`,
  );
  const start = performance.now();
  let firstConfident: number | null = null;
  let firstReached: number | null = null;
  let last: QualityReport | null = null;
  const trajectory: string[] = [];
  const load = os.loadavg()[0]!;
  let step = 0;
  while (step < maxSteps && performance.now() - start < maxMinutes * 60_000) {
    for (let k = 0; k < cfg.dStepsPerGStep; k++) {
      const { images: real, labels } = sampler.nextLabelled();
      disposeStats(trainDiscriminatorStep(gan, real, { realLabels: labels }));
      real.dispose();
    }
    disposeStats(trainGeneratorStep(gan, { lambda: 0 }));
    step++;
    for (const e of emas) {
      tf.tidy(() => {
        gan.generator.weights.forEach((w, i) => {
          const a = e.model.weights[i]!.read() as tf.Variable;
          a.assign(tf.add(tf.mul(a, e.decay), tf.mul(w.read(), 1 - e.decay)));
        });
      });
    }
    if (step % every !== 0) continue;
    if (process.argv.includes("--train-mode-eval")) {
      // Diagnostic: G with batch statistics of the 100 samples instead of running averages.
      const imgs = tf.tidy(() => gan.generator.apply(fixedZ, { training: true }) as tf.Tensor4D);
      const q = await evaluateQuality(classifier, imgs, reference);
      imgs.dispose();
      console.log(
        `  train-mode G step ${step}: confident ${(q.confidentShare * 100).toFixed(0)} %, ` +
          `max class ${(q.maxClassShare * 100).toFixed(0)} %, IS ${q.inceptionScore.toFixed(2)}, FID ${q.fid.toFixed(1)}`,
      );
    }
    for (const e of emas) {
      const imgs = tf.tidy(() => e.model.apply(fixedZ, { training: false }) as tf.Tensor4D);
      const q = await evaluateQuality(classifier, imgs, reference);
      imgs.dispose();
      console.log(
        `  EMA ${e.decay} step ${step}: confident ${(q.confidentShare * 100).toFixed(0)} %, ` +
          `max class ${(q.maxClassShare * 100).toFixed(0)} %, IS ${q.inceptionScore.toFixed(2)}, FID ${q.fid.toFixed(1)}`,
      );
    }
    const images = generate(gan, fixedZ);
    last = await evaluateQuality(classifier, images, reference);
    images.dispose();
    const secs = (performance.now() - start) / 1000;
    trajectory.push(
      `| ${step} | ${secs.toFixed(0)} | ${(last.confidentShare * 100).toFixed(0)} % | ` +
        `${(last.maxClassShare * 100).toFixed(0)} % | ${last.inceptionScore.toFixed(2)} | ${last.fid.toFixed(1)} |`,
    );
    console.log(
      `step ${step} (${secs.toFixed(0)} s): confident ${(last.confidentShare * 100).toFixed(0)} %, ` +
        `max class ${(last.maxClassShare * 100).toFixed(0)} %, IS ${last.inceptionScore.toFixed(2)}, FID ${last.fid.toFixed(1)}`,
    );
    if (gridEvery > 0 && step % gridEvery === 0) console.log(`  grid: ${await saveGrid(step)}`);
    // A collapsed G (one class for nearly every sample, as ~50 steps in) is confidently wrong:
    // it does not count as confident samples.
    if (
      firstConfident === null &&
      last.confidentShare >= QUALITY_RULE.minConfidentShare &&
      last.maxClassShare <= COLLAPSED_CLASS_SHARE
    ) {
      firstConfident = step;
      console.log(`  ≥ 80 % confident first at step ${step}: ${await saveGrid(step)}`);
    }
    if (last.qualityReached && firstReached === null) {
      firstReached = step;
      console.log(
        `  quality rule (diversity too) first met at step ${step}: ${await saveGrid(step)}`,
      );
      if (!keepGoing) break;
    }
  }
  const minutes = (performance.now() - start) / 60_000;
  let gridStep = firstReached ?? firstConfident;
  if (keepGoing) console.log(`  grid at the last step: ${await saveGrid(step)}`);
  if (gridStep === null) {
    await saveGrid(step);
    gridStep = step;
  }
  console.log(
    `\n${preset}: ${step} steps in ${minutes.toFixed(1)} min (${((minutes * 60_000) / Math.max(step, 1)).toFixed(0)} ms/step on Node wasm). ` +
      `≥ 80 % confident: ${firstConfident ?? `not within ${step} steps`}; ` +
      `quality rule: ${firstReached ?? `not within ${step} steps`}; grid at step ${gridStep} in tmp/bench-gan/.`,
  );
  if (writeDoc) {
    const cpu = os.cpus();
    const msPerStep = (minutes * 60_000) / Math.max(step, 1);
    replaceSection(
      ROOT,
      HEADING,
      [
        HEADING,
        "",
        `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpu[0]?.model ?? "?"}, ` +
          `${cpu.length} logical cores (1-min load average ${load.toFixed(1)} at start, ` +
          `${os.loadavg()[0]!.toFixed(1)} at end), Node wasm. Preset \`${preset}\`, seed ${seed}, ` +
          `100 fixed-noise samples scored by the bundled classifier every ${every} steps; caps ` +
          `${maxSteps} steps / ${maxMinutes} min. Real held-out digits score ` +
          `${(reference.real.confidentShare * 100).toFixed(0)} % confident, IS ` +
          `${reference.real.inceptionScore.toFixed(2)}, FID ${reference.real.fid.toFixed(2)}.`,
        "",
        `- Nets \`${architectureId(cfg)}\`; batch ${cfg.batchSize}, Adam lr G ${cfg.gLearningRate} / ` +
          `D ${cfg.dLearningRate}, β1 ${cfg.beta1}, k ${cfg.dStepsPerGStep}, label smoothing ` +
          `${cfg.labelSmoothing}.`,
        `- Recipe: auxiliary classifier weight ${cfg.auxClassWeight ?? 0} with a ` +
          `${cfg.latentCategories ?? 0}-way code in z, G output \`${cfg.gOutput ?? "deconv"}\`, ` +
          `moving average of G ${cfg.gAverageDecay ? `decay ${cfg.gAverageDecay} (what is scored)` : "off"}.`,
        `- ${step} steps in ${minutes.toFixed(1)} min (${msPerStep.toFixed(0)} ms/step wall).`,
        `- First step with ≥ 80 % of samples at ≥ 0.9 confidence (a collapsed G, one class above ` +
          `${COLLAPSED_CLASS_SHARE * 100} % of the samples, does not count): ` +
          `**${firstConfident ?? `not reached within ${step} steps`}** (goal ≤ 1,000).`,
        `- First step meeting the full quality rule (no class above 20 %): ` +
          `**${firstReached ?? `not reached within ${step} steps`}**.`,
        `- Sample grid at step ${gridStep}: \`tmp/bench-gan/${preset}-seed${seed}-step${gridStep}.png\` (not committed).`,
        "",
        "| Step | Seconds | Confident | Largest class | IS | FID |",
        "|---:|---:|---:|---:|---:|---:|",
        ...trajectory,
        "",
      ].join("\n"),
    );
  }
  sampler.dispose();
  fixedZ.dispose();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
