// Set-ups that show the course's points, each with the short explanation the page shows.
import { DEFAULT_CONFIG, type LabConfig } from "./config";

export interface LabPreset {
  readonly title: string;
  readonly explain: string;
  /** What to look for on the plane. */
  readonly watch: string;
  readonly config: LabConfig;
}

export const LAB_PRESETS = {
  "first-look": {
    title: "First look",
    explain:
      "One round cloud of real points. G starts as a small smudge; D paints the plane blue where it expects real points and orange where it expects fakes, and G's points slide along the arrows into the blue.",
    watch: "The divergence falls towards its floor within a few hundred steps.",
    config: { ...DEFAULT_CONFIG, target: "gaussian" },
  },
  "mode-collapse": {
    title: "Mode collapse",
    explain:
      "Eight separate clusters. A generator that finds one cluster D cannot yet refute piles all its points there; D then paints that cluster orange, and G jumps to the next one. It rarely covers all eight at once.",
    watch:
      "Generated points bunch on one or two clusters and hop between them; the divergence stalls high.",
    config: {
      ...DEFAULT_CONFIG,
      target: "gaussians",
      noiseDim: 1,
      gLearningRate: 0.02,
      dLearningRate: 0.005,
    },
  },
  "vanishing-gradients": {
    title: "Vanishing gradients",
    explain:
      "D trains ten times per G step with a fast learning rate, and G uses the original minimax loss log(1 − D(G(z))). D soon calls every fake fake with near certainty, and that loss is flat there: the arrows shrink to nothing and G stops learning. Switch G's loss to the course's \"label fakes real\" to bring the gradients back.",
    watch: "Arrows shrink to dots; G's loss sits near 0 while D's falls to 0.",
    config: {
      ...DEFAULT_CONFIG,
      target: "line",
      dStepsPerGStep: 10,
      dLearningRate: 0.02,
      gLoss: "minimax",
    },
  },
} as const satisfies Record<string, LabPreset>;

export type LabPresetName = keyof typeof LAB_PRESETS;
export const LAB_PRESET_NAMES = Object.keys(LAB_PRESETS) as LabPresetName[];

export function isPresetName(name: string): name is LabPresetName {
  return Object.prototype.hasOwnProperty.call(LAB_PRESETS, name);
}
