// Frames and G steps per second over the last second, and where each frame's time went.

export type Phase = "train" | "view" | "draw";

export class FrameMeter {
  fps = 0;
  stepsPerSecond = 0;
  /** Mean ms per frame spent training, computing the picture, and drawing it. */
  timing: Record<Phase, number> = { train: 0, view: 0, draw: 0 };
  private windowStart = 0;
  private frames = 0;
  private steps = 0;
  private ms: Record<Phase, number> = { train: 0, view: 0, draw: 0 };

  countFrame(): void {
    this.frames++;
  }

  countStep(): void {
    this.steps++;
  }

  add(phase: Phase, ms: number): void {
    this.ms[phase] += ms;
  }

  /** Call once per animation frame; rolls the window over every second. */
  tick(now: number): void {
    if (now - this.windowStart < 1000) return;
    // The first window starts at the first tick: nothing to report yet.
    if (this.windowStart > 0) {
      const secs = (now - this.windowStart) / 1000;
      const frames = Math.max(1, this.frames);
      this.fps = this.frames / secs;
      this.stepsPerSecond = this.steps / secs;
      this.timing = {
        train: this.ms.train / frames,
        view: this.ms.view / frames,
        draw: this.ms.draw / frames,
      };
    }
    this.windowStart = now;
    this.frames = 0;
    this.steps = 0;
    this.ms = { train: 0, view: 0, draw: 0 };
  }
}
