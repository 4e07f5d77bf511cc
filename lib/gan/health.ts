// Health checks for a training run, as pure functions of a few measured numbers. Each returns a
// status and a short explanation a student can read on the projector.

export type HealthStatus = "ok" | "warn" | "alert";

export interface HealthReport {
  readonly status: HealthStatus;
  readonly title: string;
  /** One short paragraph for students. */
  readonly explanation: string;
}

export const HEALTH_THRESHOLDS = {
  /**
   * D(fake) below this while D(real) − D(fake) exceeds `strongGap`: D is winning too easily. A gap
   * rather than a D(real) level, because label smoothing keeps D(real) near 0.9 at most.
   */
  strongFake: { warn: 0.15, alert: 0.05 },
  strongGap: { warn: 0.6, alert: 0.75 },
  /** G's gradient norm relative to its early-training value: below this it has vanished. */
  vanishedGradRatio: 0.1,
  /** D(fake) above this, or above D(real) by `fakeOverReal`: G fools D, D teaches nothing. */
  fooledFake: { warn: 0.65, alert: 0.8 },
  fakeOverReal: { warn: 0.1, alert: 0.3 },
  /** Share of the most frequent digit among samples (uniform = 10 %). */
  topClassShare: { warn: 0.2, alert: 0.5 },
  /** A class counts as present from this share. */
  presentShare: 0.02,
  presentClasses: { warn: 8, alert: 3 },
  /** Sample diversity relative to the real digits' own diversity. */
  diversityRatio: { warn: 0.8, alert: 0.5 },
} as const;

const T = HEALTH_THRESHOLDS;
const rank: Record<HealthStatus, number> = { ok: 0, warn: 1, alert: 2 };

function assertProbability(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name}: expected a probability, got ${v}`);
}

export interface DiscriminatorStrengthInput {
  /** Mean D(x) on real images. */
  readonly dRealMean: number;
  /** Mean D(G(z)) on generated images. */
  readonly dFakeMean: number;
  /** Global norm of G's gradient now … */
  readonly gGradNorm?: number;
  /** … and early in training, for scale. */
  readonly gGradNormReference?: number;
}

/** D far too strong: it rejects every fake with certainty, so G gets (almost) no signal. */
export function checkDiscriminatorTooStrong(input: DiscriminatorStrengthInput): HealthReport {
  const { dRealMean, dFakeMean, gGradNorm, gGradNormReference } = input;
  assertProbability("dRealMean", dRealMean);
  assertProbability("dFakeMean", dFakeMean);
  const haveGrad = gGradNorm !== undefined && gGradNormReference !== undefined;
  if (haveGrad && !(gGradNormReference > 0 && gGradNorm >= 0)) {
    throw new RangeError(
      `expected gGradNorm ≥ 0 and gGradNormReference > 0, got ${gGradNorm} and ${gGradNormReference}`,
    );
  }
  const vanished = haveGrad ? gGradNorm / gGradNormReference < T.vanishedGradRatio : undefined;
  const gap = dRealMean - dFakeMean;
  const crushing = dFakeMean < T.strongFake.alert && gap > T.strongGap.alert;
  const winning = dFakeMean < T.strongFake.warn && gap > T.strongGap.warn;
  const pct = (v: number) => `${Math.round(v * 100)} %`;
  if (crushing && vanished !== false) {
    return {
      status: "alert",
      title: "The police are far too strong",
      explanation:
        `D is sure every fake is fake (it gives fakes ${pct(dFakeMean)} "real") ` +
        (vanished
          ? "and the counterfeiter's learning signal has almost vanished. "
          : "so the counterfeiter gets almost no hint which way to improve. ") +
        "Slow D down (smaller learning rate, fewer D steps, label smoothing) so both can keep learning.",
    };
  }
  if (winning || crushing) {
    return {
      status: "warn",
      title: "The police are pulling ahead",
      explanation:
        `D calls real digits ${pct(dRealMean)} real and fakes only ${pct(dFakeMean)}. ` +
        "A little ahead is normal; if it stays this way the counterfeiter may stop improving.",
    };
  }
  return {
    status: "ok",
    title: "The police are not overpowering",
    explanation: "D still gives the fakes some chance, so the counterfeiter gets useful feedback.",
  };
}

export interface BalanceInput {
  readonly dRealMean: number;
  readonly dFakeMean: number;
}

/** G far superior: D calls fakes real (as often as or more than real digits) and teaches nothing. */
export function checkBalance(input: BalanceInput): HealthReport {
  const { dRealMean, dFakeMean } = input;
  assertProbability("dRealMean", dRealMean);
  assertProbability("dFakeMean", dFakeMean);
  const lead = dFakeMean - dRealMean;
  if (dFakeMean > T.fooledFake.alert || lead > T.fakeOverReal.alert) {
    return {
      status: "alert",
      title: "The counterfeiter fools the police completely",
      explanation:
        "D believes the fakes more than the real digits, so its verdicts no longer tell the " +
        "counterfeiter anything true; G may drift to images that are not digits at all. " +
        "Give D more steps or a higher learning rate.",
    };
  }
  if (dFakeMean > T.fooledFake.warn || lead > T.fakeOverReal.warn) {
    return {
      status: "warn",
      title: "The counterfeiter is pulling ahead",
      explanation:
        "D is starting to call fakes real more often than real digits. If it lasts, D stops " +
        "being a useful teacher.",
    };
  }
  return {
    status: "ok",
    title: "Counterfeiter and police are balanced",
    explanation: "Neither side dominates: D still tells real from fake better than chance.",
  };
}

export interface ModeCollapseInput {
  /** How many samples the classifier put in each class (10 entries for digits). */
  readonly classHistogram?: readonly number[];
  /** Mean pairwise distance between samples (see meanPairwiseDistance) … */
  readonly pairwiseDiversity?: number;
  /** … and the same measure on real digits, for scale. */
  readonly referenceDiversity?: number;
}

/** Mode collapse: G draws only a few kinds of digit, or nearly the same image every time. */
export function checkModeCollapse(input: ModeCollapseInput): HealthReport {
  const findings: { status: HealthStatus; text: string }[] = [];
  const { classHistogram: hist, pairwiseDiversity: div, referenceDiversity: ref } = input;
  if (hist === undefined && div === undefined) {
    throw new Error("expected classHistogram or pairwiseDiversity, got neither");
  }
  if (hist !== undefined) {
    const total = hist.reduce((a, b) => a + b, 0);
    if (hist.length === 0 || total <= 0 || hist.some((c) => !(c >= 0))) {
      throw new RangeError(
        `classHistogram: expected non-negative counts, got [${hist.join(", ")}]`,
      );
    }
    const shares = hist.map((c) => c / total);
    const top = Math.max(...shares);
    const topClass = shares.indexOf(top);
    const present = shares.filter((s) => s >= T.presentShare).length;
    const pct = Math.round(top * 100);
    if (top > T.topClassShare.alert || present <= T.presentClasses.alert) {
      findings.push({
        status: "alert",
        text: `${pct} % of the samples are ${topClass}s and only ${present} kinds of digit appear.`,
      });
    } else if (top > T.topClassShare.warn || present < T.presentClasses.warn) {
      findings.push({
        status: "warn",
        text: `${pct} % of the samples are ${topClass}s (a fair share is 10 %); ${present} kinds of digit appear.`,
      });
    }
  }
  if (div !== undefined) {
    if (!(ref !== undefined && ref > 0 && div >= 0)) {
      throw new RangeError(
        `expected pairwiseDiversity ≥ 0 with referenceDiversity > 0, got ${div} and ${ref}`,
      );
    }
    const ratio = div / ref;
    const text = `The samples differ from each other only ${Math.round(ratio * 100)} % as much as real digits do.`;
    if (ratio < T.diversityRatio.alert) findings.push({ status: "alert", text });
    else if (ratio < T.diversityRatio.warn) findings.push({ status: "warn", text });
  }
  const worst = findings.reduce<HealthStatus>(
    (s, f) => (rank[f.status] > rank[s] ? f.status : s),
    "ok",
  );
  if (worst === "ok") {
    return {
      status: "ok",
      title: "Varied samples",
      explanation:
        "The counterfeiter draws many different digits, not one favourite over and over.",
    };
  }
  return {
    status: worst,
    title:
      worst === "alert"
        ? "Mode collapse: the counterfeiter repeats itself"
        : "Samples are getting samey",
    explanation:
      findings.map((f) => f.text).join(" ") +
      " A counterfeiter that found one fake the police accept keeps drawing it instead of learning every digit.",
  };
}

/**
 * Mean Euclidean distance between pairs of images (n × 784 bytes), on the [-1, 1] scale and
 * divided by √784 so it reads as a per-pixel RMS difference (0 = identical, 2 = opposite).
 */
export function meanPairwiseDistance(images: Uint8Array, pixels = 784): number {
  if (images.length === 0 || images.length % pixels !== 0) {
    throw new RangeError(`expected a positive multiple of ${pixels} bytes, got ${images.length}`);
  }
  const n = images.length / pixels;
  if (n < 2) throw new RangeError(`expected at least 2 images, got ${n}`);
  let sum = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let d = 0;
      for (let p = 0; p < pixels; p++) {
        const diff = (images[a * pixels + p]! - images[b * pixels + p]!) / 127.5;
        d += diff * diff;
      }
      sum += Math.sqrt(d / pixels);
    }
  }
  return sum / ((n * (n - 1)) / 2);
}
