// The hand-written reading of the committed bench:lambda runs, kept with the script so a rerun
// rewrites the figures but not the words (which then need re-reading against the new figures).
export const INTERPRETATION = [
  "- **No effect on the class.** In every run the λ = 0.5 generator fooled the simulated class about",
  "  as often as the λ = 0 one (seed 1: 23 % vs 21 %, +2 pp [−2, +5]); every paired 95 % interval",
  "  spans zero, including the run with ten times the H training.",
  "- **The class's signal does not get through H.** Trained as the host trains it (30 minibatch steps",
  "  a round, 384 labelled images in all), H ends nearly uncorrelated with the class's verdicts on new",
  "  fakes (|r| ≤ 0.10; 0.09–0.19 with 300 steps). G does learn to fool H: H rates the λ = 0.5 fakes",
  "  at or above the real digits, the λ = 0 fakes below them (H on fakes / reals columns).",
  "- **What changed, and what did not.** λ = 0.5 fakes have crisper, more solid strokes (fewer",
  "  outliers in inked-pixel mean and soft edges in every run): a local cue H can learn. The class",
  "  mostly catches fakes by their centre of mass (61–73 % sit further from the centre than 97.5 % of",
  "  real digits, which MNIST centres by mass) and by stray specks (68–80 %, slightly more with",
  "  λ = 0.5): exact global properties a small H does not pick up from a few hundred soft labels.",
  "- **Police:** λ = 0.5 fakes fooled their own D a little more in every run (two intervals exclude",
  "  zero), but each figure is one snapshot of an oscillating D/G pair: per-round police fool rates",
  "  swing between 0 and 69 %, and at seed 2 the λ = 0 D was calling 37 % of all items wrong.",
  "- **Limits:** `small` preset, ≤ 1,200 steps, 16 fakes a round, a deliberately simple scripted rule,",
  "  not real students. For λ to matter, H must first predict the class; the r column measures that.",
].join("\n");
