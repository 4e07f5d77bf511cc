// What the page can do to a running training loop: pause, play, single-step D or G, change the
// speed (slow motion included) and λ. Every change wakes a loop that is waiting for one.

export type LoopAction = "iteration" | "stepD" | "stepG";

/** Shared, mutable controls of a running loop; every change wakes a waiting loop. */
export class LoopControl {
  private pausedState: boolean;
  private speed: number | null;
  private lambdaValue: number;
  private readonly queue: ("stepD" | "stepG")[] = [];
  private waiters: (() => void)[] = [];

  constructor(init: { paused?: boolean; stepsPerSecond?: number | null; lambda?: number } = {}) {
    this.pausedState = init.paused ?? false;
    this.speed = checkSpeed(init.stepsPerSecond ?? null);
    this.lambdaValue = checkLambda(init.lambda ?? 0);
  }

  get paused(): boolean {
    return this.pausedState;
  }
  /** Iterations per second, or null for as fast as possible (slow motion: e.g. 0.5). */
  get stepsPerSecond(): number | null {
    return this.speed;
  }
  /** Weight of the human critic in G's loss. */
  get lambda(): number {
    return this.lambdaValue;
  }

  play(): void {
    this.pausedState = false;
    this.notify();
  }
  pause(): void {
    this.pausedState = true;
    this.notify();
  }
  /** Queues one D step only (works while paused). */
  stepD(): void {
    this.queue.push("stepD");
    this.notify();
  }
  /** Queues one G step only (works while paused). */
  stepG(): void {
    this.queue.push("stepG");
    this.notify();
  }
  setSpeed(stepsPerSecond: number | null): void {
    this.speed = checkSpeed(stepsPerSecond);
    this.notify();
  }
  setLambda(lambda: number): void {
    this.lambdaValue = checkLambda(lambda);
    this.notify();
  }

  /** The next thing to do; waits while paused with nothing queued; null once aborted. */
  async next(signal: AbortSignal): Promise<LoopAction | null> {
    for (;;) {
      if (signal.aborted) return null;
      const queued = this.queue.shift();
      if (queued) return queued;
      if (!this.pausedState) return "iteration";
      await this.changed(signal);
    }
  }

  /** Resolves on the next change, on abort, or after `ms` (if given), whichever is first. */
  changed(signal: AbortSignal, ms?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", done);
      this.waiters.push(done);
      if (ms !== undefined) timer = setTimeout(done, ms);
    });
  }

  private notify(): void {
    for (const w of this.waiters.slice()) w();
  }
}

function checkSpeed(sps: number | null): number | null {
  if (sps !== null && !(Number.isFinite(sps) && sps > 0)) {
    throw new RangeError(`stepsPerSecond: expected a positive number or null, got ${sps}`);
  }
  return sps;
}

function checkLambda(lambda: number): number {
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`lambda: expected 0…1, got ${lambda}`);
  return lambda;
}
