// The hand-written reading of the committed bench:lambda runs, kept with the script so a rerun
// rewrites the figures but not the words (which then need re-reading against the new figures).
export const INTERPRETATION = [
  "- **No effect on the class.** In all four runs the λ = 0.5 generator fooled the simulated class",
  "  as often as the λ = 0 one: paired differences +1 to +2 pp, every 95 % interval spanning zero",
  "  (seed 1: 21 % vs 23 %, +2 pp [−2, +5]), also with ten times the H training.",
  "- **The class's signal does not get through H.** H, trained as the host trains it (30 minibatch",
  "  steps after each round, 384 labelled images in all) or with 300 steps, stays uncorrelated with",
  "  the class's verdicts on new fakes (|r| ≤ 0.19). G does learn to fool H: H rates the λ = 0.5",
  "  fakes above the real digits in every run, the λ = 0 fakes below them (H on fakes / reals).",
  "- **What changed, and what did not.** λ = 0.5 fakes have crisper, more solid strokes (fewer",
  "  outliers in inked-pixel mean and soft edges in every run): a local cue, presumably what H learned. The class",
  "  catches fakes mostly by their centre of mass (61–70 % sit further from the centre than 97.5 % of",
  "  real digits, which MNIST centres by mass) and stray specks (72–83 %): exact global properties",
  "  a small H does not pick up from a few hundred soft labels, and λ = 0.5 did not reduce them.",
  "- **Police: no consistent effect.** The λ = 0.5 fakes fooled their own D more in two runs and less",
  "  in two (+6, +10, −17, −24 pp): each figure is one snapshot of an oscillating D/G pair, whose",
  "  per-round police fool rate swings between 0 and 69 %.",
  "- **Limits:** `small` preset, 1,200 steps, 16 fakes a round, a deliberately simple scripted rule,",
  "  not real students. For λ to matter, H must first predict the class; the r column measures that.",
  "  Runs are deterministic: the 300-step run's λ = 0 arm (its G never sees H) reproduces seed 1's fool rates.",
].join("\n");
