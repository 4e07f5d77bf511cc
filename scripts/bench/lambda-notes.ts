// The hand-written reading of the committed bench:lambda run, kept with the script so a rerun
// rewrites the figures but not the words (which then need re-reading against the new figures).
export const INTERPRETATION = [
  "- **No detectable effect.** After 1,200 G steps the λ = 0.5 generator fooled the simulated class",
  "  on 23 % of verdicts against 21 % for λ = 0: paired difference +2 pp, 95 % interval −2 to +5.",
  "  The police were fooled 36 % vs 30 % (+6 pp, −4 to +14): not distinguishable from zero either.",
  "- **The class's signal did not get through H.** Trained as the host trains it (30 minibatch steps",
  "  after each round; 384 labelled images in all), H ends uncorrelated with the class's verdicts on",
  "  new fakes (r = 0.00 and 0.09). The λ = 0.5 generator did learn to fool H — H rates its fakes",
  "  above the real digits (65 % vs 54 %) — but what fools H is not what the class looks at.",
  "- **What the class looks at:** mostly the centre of mass (62–69 % of fakes sit further from the",
  "  centre than 97.5 % of real digits, which MNIST centres by mass) and stray specks. These are exact",
  "  global properties; a small conv net does not pick them up from a few hundred soft labels.",
  "- **Rounds are noisy:** 16 fakes a round, and D and G oscillate (police fooled 0–69 % from one",
  "  round to the next); only the 200-fake final set supports a comparison.",
  "- **Limits:** one seed, the `small` preset, 1,200 steps, and a deliberately simple scripted rule,",
  "  not real students, who may use cues H learns more (or less) easily.",
].join("\n");
