// The docs/BENCHMARKS.md section of bench:lambda (between <!-- bench:lambda --> markers).
import type { QualityReport } from "@/lib/gan/quality";
import { STROKE_FEATURES, type StrokeFeature } from "@/lib/gan/simulated-class";
import type { JudgedItem } from "./lambda-arm";
import { INTERPRETATION } from "./lambda-notes";
import {
  ci,
  ciDiff,
  classSaidReal,
  criticTracksClass,
  meanOf,
  outsideShares,
  pairedDiff,
  pct,
  policeSaidReal,
  realRanges,
  statsOf,
} from "./lambda-report";
import { writeBenchSection } from "./report";

export interface RoundRow {
  readonly round: number;
  /** G steps of each arm when the round was played. */
  readonly step: number;
  /** λ in force in each arm during the G steps before this round. */
  readonly lambdas: readonly number[];
  /** Judged items per arm (same noise, same reals). */
  readonly items: readonly (readonly JudgedItem[])[];
}

export interface LambdaResult {
  readonly opts: {
    readonly preset: string;
    readonly seed: number;
    readonly rounds: number;
    readonly every: number;
    readonly fakes: number;
    readonly reals: number;
    readonly students: number;
    readonly finalFakes: number;
    readonly lambda: number;
    readonly maxMinutes: number;
    /** Absent in results saved before the flag existed: 30. */
    readonly criticSteps?: number;
  };
  readonly realCalledReal: number;
  readonly heldOutCount: number;
  readonly armNames: readonly string[];
  readonly rows: readonly RoundRow[];
  readonly final: readonly (readonly JudgedItem[])[];
  readonly quality: readonly QualityReport[];
  readonly steps: number;
  readonly minutes: number;
  readonly stoppedEarly: boolean;
  readonly loadAverage: number;
  readonly gridFile: string;
  /** When the run ended (ISO). */
  readonly date: string;
}

/** JSON with images as base64, so a section can be re-rendered without rerunning. */
export function serializeResult(r: LambdaResult): string {
  const items = (xs: readonly JudgedItem[]) =>
    xs.map((it) => ({ ...it, image: Buffer.from(it.image).toString("base64") }));
  return JSON.stringify({
    ...r,
    rows: r.rows.map((row) => ({ ...row, items: row.items.map(items) })),
    final: r.final.map(items),
  });
}

export function deserializeResult(json: string): LambdaResult {
  type Stored = Omit<JudgedItem, "image"> & { image: string };
  const raw = JSON.parse(json) as Omit<LambdaResult, "rows" | "final"> & {
    rows: (Omit<RoundRow, "items"> & { items: Stored[][] })[];
    final: Stored[][];
  };
  const items = (xs: Stored[]): JudgedItem[] =>
    xs.map((it) => ({ ...it, image: new Uint8Array(Buffer.from(it.image, "base64")) }));
  return {
    ...raw,
    rows: raw.rows.map((row) => ({ ...row, items: row.items.map(items) })),
    final: raw.final.map(items),
  };
}

const fmt = (x: number, digits = 2) => (x < 0 ? "−" : "") + Math.abs(x).toFixed(digits);

/** The file name bench-lambda.ts saves a run under. */
export function resultName(r: LambdaResult): string {
  const h = r.opts.criticSteps ?? 30;
  return `${r.opts.preset}-seed${r.opts.seed}${h === 30 ? "" : `-h${h}`}-result.json`;
}

/** One line per run (other seeds): final fool rates and the paired differences. */
function replicateTable(runs: readonly LambdaResult[]): string[] {
  const [a, b] = runs[0]!.armNames;
  return [
    `| Seed | H steps a round | G steps | ${a}: class | ${b}: class | class ${b} − ${a} | ${a}: police | ${b}: police | police ${b} − ${a} | H ~ class (r), ${a} / ${b} |`,
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...runs.map((r) => {
      const s = r.final.map((items, i) => statsOf(items, 100 + i));
      return (
        `| ${r.opts.seed} | ${r.opts.criticSteps ?? 30} | ${r.steps} | ${ci(s[0]!.classFoolRate)} | ${ci(s[1]!.classFoolRate)} | ` +
        `${ciDiff(pairedDiff(r.final[0]!, r.final[1]!, classSaidReal, 7))} | ` +
        `${ci(s[0]!.policeFoolRate)} | ${ci(s[1]!.policeFoolRate)} | ` +
        `${ciDiff(pairedDiff(r.final[0]!, r.final[1]!, policeSaidReal, 8))} | ` +
        `${r.final.map((items) => fmt(criticTracksClass(items))).join(" / ")} |`
      );
    }),
  ];
}

export function lambdaSectionBody(
  r: LambdaResult,
  dist: Record<StrokeFeature, Float64Array>,
  replicates: readonly LambdaResult[] = [],
): string {
  const o = r.opts;
  const [a, b] = r.armNames;
  const command =
    `npm run bench:lambda -- --preset ${o.preset} --seed ${o.seed} --rounds ${o.rounds} ` +
    `--every ${o.every} --fakes ${o.fakes} --reals ${o.reals} --students ${o.students} ` +
    `--final ${o.finalFakes} --lambda ${o.lambda} --max-minutes ${o.maxMinutes}` +
    ((o.criticSteps ?? 30) === 30 ? "" : ` --critic-steps ${o.criticSteps}`);
  const finals = r.final.map((items, i) => statsOf(items, 100 + i));
  const lines: string[] = [
    `Command: \`${command}\` (scripts/bench-lambda.ts; the defaults are these values).`,
    "",
    `Two generators from seed ${o.seed} (\`${o.preset}\` preset, Node wasm, the same initial weights, ` +
      `real batches and noise stream): ${a} (classic GAN) and ${b}. Trained in lockstep; every ` +
      `${o.every} G steps each arm plays a round of ${o.fakes} fakes + ${o.reals} held-out real digits — ` +
      "the same noise vectors and the same reals in both arms — judged by the arm's police (D, " +
      `"real" when D(x) ≥ 0.5, as the server scores it) and by a simulated class of ${o.students} ` +
      "students. After each round H learns the class's verdicts exactly as the host's trainer does " +
      "(`HumanLabels.add` + `trainCritic`: " +
      `${o.criticSteps ?? 30} minibatch steps${(o.criticSteps ?? 30) === 30 ? "" : "; the host does 30"}). ` +
      "λ takes effect from the first " +
      "reveal on (before it H has seen nothing); caught fakes are not fed to D (the app's default). " +
      `Played ${r.rows.length} rounds, ${r.steps} G steps per arm` +
      (r.stoppedEarly ? ` (stopped early by the ${o.maxMinutes}-min cap)` : "") +
      `, ${fmt(r.minutes, 1)} min wall for both arms (run ended ${r.date.slice(0, 16).replace("T", " ")} UTC, load average ${fmt(r.loadAverage, 1)}).`,
    "",
    "**The simulated class** (lib/gan/simulated-class.ts). Each image's stroke statistics: ink " +
      "mass, mean value of inked pixels, share of soft (grey) edge pixels, height and width of the " +
      "stroke's bounding box, centre-of-mass offset, share of the stroke in its largest connected " +
      "part. Each student attends to a random subset (each statistic with probability 0.6, at " +
      "least two), accepts the real digits' central range with a personal tail cut (0.5–3 % each " +
      'side, learned from the 9,000 training digits), says "fake" if any attended statistic is ' +
      "outside, and with a personal lapse probability (2–10 %) guesses instead. Seeded, so the 30 " +
      `students differ. On the ${r.heldOutCount} held-out real digits, **${pct(r.realCalledReal)}** ` +
      'of its verdicts say "real"; uniform noise and blank pages are called fake (unit test).',
    "",
    `### Final set: ${o.finalFakes} fakes (same noise in both arms) + ${o.finalFakes} held-out reals, after ${r.steps} G steps`,
    "",
    "| Arm | Class fool rate | Police fool rate | Class error (all) | Police error (all) | H on fakes / reals | H ~ class (r) | Confident / largest class (100 samples) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...r.armNames.map((name, i) => {
      const s = finals[i]!;
      const fakes = r.final[i]!.filter((it) => it.fake);
      const reals = r.final[i]!.filter((it) => !it.fake);
      const q = r.quality[i]!;
      return (
        `| ${name} | ${ci(s.classFoolRate)} | ${ci(s.policeFoolRate)} | ${ci(s.classError)} | ` +
        `${ci(s.policeError)} | ${pct(meanOf(fakes, (it) => it.hScore))} / ` +
        `${pct(meanOf(reals, (it) => it.hScore))} | ${fmt(criticTracksClass(r.final[i]!))} | ` +
        `${pct(q.confidentShare)} / ${pct(q.maxClassShare)} |`
      );
    }),
    "",
    `Paired difference (${b} − ${a}, per noise vector, 95 % bootstrap over the ${o.finalFakes} fakes): ` +
      `class fool rate **${ciDiff(pairedDiff(r.final[0]!, r.final[1]!, classSaidReal, 7))}**, ` +
      `police fool rate **${ciDiff(pairedDiff(r.final[0]!, r.final[1]!, policeSaidReal, 8))}**.`,
    "",
    "Intervals: 95 % percentile bootstrap from lib/game/stats (`groupStats`: images resampled, " +
      "then each image's answers redrawn; 2,000 resamples). Fool rate = share of the verdicts on " +
      "fakes that said real; error counts reals called fake too. H on fakes / reals: H's mean " +
      'predicted share saying "real"; r: correlation of H with the class\'s actual share on the ' +
      "final fakes (does H know what the class looks at?).",
    "",
    `Which statistics gave the fakes away (share of final fakes outside the real digits' central 95 % range):`,
    "",
    `| Statistic | Real 2.5–97.5 % | ${a} fakes outside | ${b} fakes outside |`,
    "|---|---:|---:|---:|",
    ...(() => {
      const ranges = realRanges(dist);
      const shares = r.final.map((items) => outsideShares(items, ranges));
      return STROKE_FEATURES.map(
        (f) =>
          `| ${f} | ${fmt(ranges[f][0])}–${fmt(ranges[f][1])} | ${pct(shares[0]![f])} | ${pct(shares[1]![f])} |`,
      );
    })(),
    "",
    `### Per round (${o.fakes} fakes each; class fool rate / police fool rate with 95 % intervals)`,
    "",
    `| Round | G step | λ in force | ${a}: class | ${a}: police | ${b}: class | ${b}: police |`,
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...r.rows.map((row) => {
      const s = row.items.map((items, i) => statsOf(items, row.round * 10 + i));
      return (
        `| ${row.round} | ${row.step} | ${row.lambdas.join(" / ")} | ${ci(s[0]!.classFoolRate)} | ` +
        `${ci(s[0]!.policeFoolRate)} | ${ci(s[1]!.classFoolRate)} | ${ci(s[1]!.policeFoolRate)} |`
      );
    }),
    "",
    `Sample grid (100 fixed noise vectors, ${a} left, ${b} right): \`${r.gridFile}\` (not committed).`,
    "",
    ...(replicates.length > 0
      ? [
          `### Every run (final sets of ${o.finalFakes} fakes; a seed also draws its own class of students; same settings otherwise)`,
          "",
          ...replicateTable([r, ...replicates]),
          "",
          "Each run: `npm run bench:lambda -- --seed N [--critic-steps S] --no-doc`; then this " +
            "section from the saved " +
            "results: `npm run bench:lambda -- --render " +
            [r, ...replicates].map((x) => `tmp/bench-lambda/${resultName(x)}`).join(" ") +
            "`.",
          "",
        ]
      : []),
    "**Interpretation** (written by hand for the runs above; re-read it if you rerun):",
    "",
    INTERPRETATION,
  ];
  return lines.join("\n");
}

const TITLE = "Training against the class: λ = 0 vs λ = 0.5 (npm run bench:lambda)";

/** Builds the section and (when `write`) replaces it in docs/BENCHMARKS.md; returns its body. */
export function writeLambdaSection(
  r: LambdaResult,
  dist: Record<StrokeFeature, Float64Array>,
  write: boolean,
  replicates: readonly LambdaResult[] = [],
): string {
  const body = lambdaSectionBody(r, dist, replicates);
  if (write) writeBenchSection("lambda", TITLE, body);
  return body;
}
