// A typed wrapper around the trainer Web Worker for pages: promise-returning requests and
// `on(event, cb)` subscriptions. React components subscribe and render; they never train.
//
//   const trainer = TrainerClient.create();
//   trainer.on("progress", (p) => chart.push(p.step, p.dLoss, p.gLoss));
//   trainer.on("samples", (s) => draw(sampleGrid(s.images, 8)));
//   await trainer.init({ preset: "classroom", seed: 1 });
//   trainer.play();
//   const { bytes, step } = await trainer.snapshot({ precision: "int8" });
import type { PresetName } from "@/lib/gan/config";
import type {
  InitRequest,
  ReadyInfo,
  RequestWithReply,
  TrainerEvent,
  TrainerMessage,
  TrainerReplies,
  TrainerRequest,
} from "@/lib/gan/worker-protocol";

type EventType = TrainerEvent["type"] | "error";
type EventOf<T extends EventType> = T extends "error"
  ? { type: "error"; message: string; code?: string }
  : Extract<TrainerEvent, { type: T }>;

/** The part of Worker the client needs (a fake in tests, a real Worker in the browser). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<unknown>) => void): void;
  terminate(): void;
}

export class TrainerRequestError extends Error {
  override name = "TrainerRequestError";
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type WithoutId<R> = R extends unknown ? Omit<R, "type" | "id"> : never;

export class TrainerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventType, Set<(e: never) => void>>();

  /** Starts the worker bundled from app/_workers/trainer.worker.ts. */
  static create(): TrainerClient {
    const worker = new Worker(new URL("../_workers/trainer.worker.ts", import.meta.url), {
      type: "module",
      name: "gan-trainer",
    });
    return new TrainerClient(worker);
  }

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener("message", (event) => this.receive(event.data as TrainerMessage));
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<T extends EventType>(type: T, cb: (event: EventOf<T>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(cb as (e: never) => void);
    return () => set.delete(cb as (e: never) => void);
  }

  /** The next event of a type (that satisfies `pred`, if given). */
  once<T extends EventType>(type: T, pred: (event: EventOf<T>) => boolean = () => true) {
    return new Promise<EventOf<T>>((resolve) => {
      const off = this.on(type, (event) => {
        if (!pred(event)) return;
        off();
        resolve(event);
      });
    });
  }

  init(opts: {
    preset: PresetName;
    seed: number;
    overrides?: InitRequest["overrides"];
    datasetUrl?: string | null;
    snapshot?: Uint8Array;
    backends?: InitRequest["backends"];
    readEvery?: number;
    sampleEvery?: number;
    sampleCount?: number;
  }): Promise<ReadyInfo> {
    return this.request("init", opts);
  }
  reset(opts: WithoutId<Extract<TrainerRequest, { type: "reset" }>> = {}) {
    return this.request("reset", opts);
  }
  play(): void {
    this.send({ type: "play" });
  }
  pause(): void {
    this.send({ type: "pause" });
  }
  stepD(): void {
    this.send({ type: "stepD" });
  }
  stepG(): void {
    this.send({ type: "stepG" });
  }
  /** Iterations per second; null = full speed; below 1 = slow motion. */
  setSpeed(stepsPerSecond: number | null): void {
    this.send({ type: "setSpeed", stepsPerSecond });
  }
  setLambda(lambda: number): void {
    this.send({ type: "setLambda", lambda });
  }
  setCaughtFakes(perStep: number): void {
    this.send({ type: "setCaughtFakes", perStep });
  }
  setConfig(overrides: Extract<TrainerRequest, { type: "setConfig" }>["overrides"]) {
    return this.request("setConfig", { overrides });
  }
  addHumanLabels(images: Uint8Array, fractions: readonly number[], fake?: readonly boolean[]) {
    return this.request("addHumanLabels", { images, fractions, ...(fake ? { fake } : {}) });
  }
  sampleFixed() {
    return this.request("sampleFixed", {});
  }
  /** n × latentDim noise values → n images (784 bytes each). */
  latent(z: Float32Array) {
    return this.request("latent", { z });
  }
  generate(count: number) {
    return this.request("generate", { count });
  }
  discriminate(images: Uint8Array) {
    return this.request("discriminate", { images });
  }
  snapshot(opts: WithoutId<Extract<TrainerRequest, { type: "snapshot" }>> = {}) {
    return this.request("snapshot", opts);
  }
  loadSnapshot(bytes: Uint8Array) {
    return this.request("loadSnapshot", { bytes });
  }

  /** Stops the worker; pending requests fail. */
  terminate(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new TrainerRequestError("trainer terminated"));
    this.pending.clear();
  }

  private request<K extends RequestWithReply["type"] & keyof TrainerReplies>(
    type: K,
    fields: WithoutId<Extract<RequestWithReply, { type: K }>>,
  ): Promise<TrainerReplies[K]> {
    const id = this.nextId++;
    return new Promise<TrainerReplies[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ ...fields, type, id } as unknown as TrainerRequest);
    });
  }

  // Requests are copied, not transferred: the caller keeps its arrays usable.
  private send(message: TrainerRequest): void {
    this.worker.postMessage(message, []);
  }

  private receive(message: TrainerMessage): void {
    if (message.type === "reply") {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      p?.resolve(message.result);
      return;
    }
    if (message.type === "error" && message.id !== undefined && this.pending.has(message.id)) {
      const p = this.pending.get(message.id)!;
      this.pending.delete(message.id);
      p.reject(new TrainerRequestError(message.message, message.code));
      return;
    }
    for (const cb of this.listeners.get(message.type) ?? [])
      (cb as (e: typeof message) => void)(message);
  }
}
