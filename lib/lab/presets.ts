// Set-ups that show the course's points, each with the short explanation the page shows.
import { DEFAULT_CONFIG, type LabConfig } from "./config";

export interface LabPreset {
  readonly title: string;
  readonly explain: string;
  /** What to look for on the plane. */
  readonly watch: string;
  readonly config: LabConfig;
}

// On the URL's 64-level grid, so a shared link holds exactly these points.
const level = (l: number) => (l / 63) * 2 - 1;
/** A small cluster near the top-right corner. */
const CORNER = [
  [54, 54],
  [56, 52],
  [52, 56],
  [54, 57],
  [57, 54],
].flatMap(([x, y]) => [level(x!), level(y!)]);

export const LAB_PRESETS = {
  "first-look": {
    title: "First look",
    explain:
      "One round cloud of real points. G starts as a small smudge; D paints the plane blue where it expects real points and orange where it expects fakes, and G's points slide along the arrows into the blue.",
    watch:
      "The divergence drops within the first hundred steps, then wobbles: the two players keep chasing each other around the target instead of settling.",
    config: { ...DEFAULT_CONFIG, target: "gaussian" },
  },
  "mode-collapse": {
    title: "Mode collapse",
    explain:
      "Eight separate clusters, and a generator with one noise dimension. G finds a cluster D does not yet refute and piles its points there; D then paints that cluster orange, and G jumps to another. It rarely covers all eight at once.",
    watch:
      "Generated points bunch on one or two clusters and hop between them; the divergence stays high. Set the noise dimension to 2 and compare.",
    config: { ...DEFAULT_CONFIG, target: "gaussians", noiseDim: 1 },
  },
  "vanishing-gradients": {
    title: "Vanishing gradients",
    explain:
      "The real data is a small cluster in a corner, far from G's first guesses. D takes ten fast steps (plain SGD) per G step, and G uses the original paper's minimax loss, log(1 − D(G(z))). D soon calls every forgery fake with near certainty, and that loss is flat there: the arrows shrink to dots and G stops moving. Switch G's loss to the course's \"Fakes → real\" and the arrows come back.",
    watch: "The pull falls below 0.01 and the divergence stays at 1 bit while D's loss goes to 0.",
    config: {
      ...DEFAULT_CONFIG,
      target: "custom",
      drawn: CORNER,
      dStepsPerGStep: 10,
      optimizer: "sgd",
      dLearningRate: 0.3,
      gLearningRate: 0.05,
      dUnits: 32,
      gLoss: "minimax",
      seed: 1,
    },
  },
} as const satisfies Record<string, LabPreset>;

export type LabPresetName = keyof typeof LAB_PRESETS;
export const LAB_PRESET_NAMES = Object.keys(LAB_PRESETS) as LabPresetName[];

export function isPresetName(name: string): name is LabPresetName {
  return Object.prototype.hasOwnProperty.call(LAB_PRESETS, name);
}
