// One live room in this process: its GameState, and the executor of the reducer's effects.
// Effects run in order; an ack or emit waits until every write queued before it has committed,
// so a student is never told "stored" about an answer that is not, and round:started never
// precedes the rows its answers reference.
import type { Audience, Effect, GameEvent, GameResult, ServerMessage } from "../../lib/game/events";
import { reduce } from "../../lib/game/reducer";
import type { GameState, PlayerId } from "../../lib/game/state";
import { phoneRevealView, phoneRevealViews, type RevealView } from "../../lib/game/views";
import { ErrorCode } from "../../lib/protocol/codes";
import type { Logger } from "../logger";
import type { AppServer } from "../realtime";
import type { FakePool } from "./items";
import type { WriteBatcher } from "./writer";

export const COALESCE_MS = 100;
/** Sockets written per turn of the event loop in the room's largest broadcasts. */
export const BROADCAST_SLICE = 250;

export const roomChannel = (roomId: string) => `r:${roomId}`;
export const playersChannel = (roomId: string) => `r:${roomId}:p`;
export const hostChannel = (roomId: string) => `r:${roomId}:h`;
export const playerChannel = (playerId: string) => `p:${playerId}`;

export interface RuntimeDeps {
  io: () => AppServer | null;
  writer: WriteBatcher;
  logger: Logger;
  clock: () => number;
  rng: () => number;
  idGen: () => string;
  /** Cluster mode: whether this process still holds the room's lease (join code). A process that
   * lost it refuses every event, so a stale owner never writes after a take-over. */
  mayWrite?: (code: string) => boolean;
}

export interface Dispatched {
  /** The reducer's verdict, known at once (before anything is stored). */
  result: GameResult;
  /** The same verdict, once every write it caused has committed (INTERNAL if one failed). */
  committed: Promise<GameResult>;
}

export class RoomRuntime {
  state: GameState;
  readonly hostTokenHash: string;
  runId: string | null;
  fakes: FakePool | null = null;
  snapshotStep = -1;
  /** The newest snapshot's bytes: a reloaded trainer resumes from them instead of from noise. */
  latestSnapshot: { step: number; weights: Uint8Array } | null = null;
  lastSnapshotSavedAt = 0;
  private barrier: Promise<void> = Promise.resolve();
  private tail: Promise<void> = Promise.resolve();
  private revealTimer: NodeJS.Timeout | null = null;
  private coalesced = new Map<string, () => void>();
  private coalesceTimer: NodeJS.Timeout | null = null;

  constructor(
    init: { state: GameState; hostTokenHash: string; runId: string | null },
    private readonly deps: RuntimeDeps,
  ) {
    this.state = init.state;
    this.hostTokenHash = init.hostTokenHash;
    this.runId = init.runId;
  }

  get id(): string {
    return this.state.roomId;
  }

  dispatch(event: GameEvent): Dispatched {
    if (this.deps.mayWrite && !this.deps.mayWrite(this.state.code)) {
      const refused: GameResult = { ok: false, code: ErrorCode.Internal };
      return { result: refused, committed: Promise.resolve(refused) };
    }
    const { state, effects } = reduce(this.state, event, {
      now: this.deps.clock(),
      rng: this.deps.rng,
      idGen: this.deps.idGen,
    });
    this.state = state;
    let result: GameResult = { ok: true, data: { kind: "done" } };
    let persisted: Promise<void> | null = null;
    for (const effect of effects) {
      if (effect.type === "persist") {
        persisted = this.deps.writer.add(effect.write);
        this.barrier = persisted.catch(() => undefined);
      } else if (effect.type === "ack") {
        result = effect.result;
      } else {
        this.after(() => this.execute(effect));
      }
    }
    const barrier = persisted ?? this.barrier;
    const committed = barrier.then(
      () => result,
      (err: unknown): GameResult => {
        this.deps.logger.error({ err, room: this.state.code, event: event.type }, "write failed");
        return { ok: false, code: ErrorCode.Internal };
      },
    );
    return { result, committed };
  }

  /** Runs `fn` after everything queued so far, and after every write queued so far commits. */
  private after(fn: () => void | Promise<void>): void {
    const barrier = this.barrier;
    this.tail = this.tail
      .then(() => barrier)
      .then(fn)
      .catch((err: unknown) => this.deps.logger.error({ err }, "room effect failed"));
  }

  private execute(
    effect: Exclude<Effect, { type: "persist" } | { type: "ack" }>,
  ): void | Promise<void> {
    switch (effect.type) {
      case "emit": {
        if (effect.coalesce) {
          const send = () => void this.deliver(effect.to, effect.message);
          this.coalesce(`${effect.coalesce}|${JSON.stringify(effect.to)}`, send);
          return;
        }
        // A sliced broadcast finishes before the next effect runs: nothing overtakes it.
        return this.deliver(effect.to, effect.message);
      }
      case "schedule-reveal":
        this.scheduleReveal(effect.roundId, effect.at);
        return;
      case "disconnect":
        this.deps.io()?.in(playerChannel(effect.playerId)).disconnectSockets(true);
        return;
    }
  }

  private deliver(
    to: Extract<Effect, { type: "emit" }>["to"],
    message: ServerMessage,
  ): void | Promise<void> {
    const io = this.deps.io();
    if (!io) return;
    if (message.event === "round:revealed" && to.kind !== "host") {
      return this.deliverReveal(io, to, message.payload);
    }
    const channel =
      to.kind === "room"
        ? roomChannel(this.id)
        : to.kind === "players"
          ? playersChannel(this.id)
          : to.kind === "host"
            ? hostChannel(this.id)
            : playerChannel(to.playerId);
    // A forger's sockets are left out of the room's round:started: they get their own list.
    const except = to.kind === "room" && to.except?.length ? to.except.map(playerChannel) : null;
    if (message.event === "round:started") {
      const local = this.localSockets(io, channel, except ?? []);
      if (local.length > BROADCAST_SLICE)
        return this.sliced(io, channel, except ?? [], local, message);
    }
    const target = except ? io.to(channel).except(except) : io.to(channel);
    (target.emit as (event: string, payload: unknown) => boolean)(message.event, message.payload);
  }

  /** This process's sockets in `channel`, minus those in any `except` channel. */
  private localSockets(io: AppServer, channel: string, except: readonly string[]): string[] {
    const rooms = io.sockets.adapter.rooms;
    const skip = new Set(except.flatMap((c) => [...(rooms.get(c) ?? [])]));
    return [...(rooms.get(channel) ?? [])].filter((id) => !skip.has(id));
  }

  /**
   * A room broadcast written BROADCAST_SLICE sockets per turn of the event loop: round:started is
   * 11 frames per socket, and 2,000 sockets in one go blocked the loop for 0.7–2.7 s on this
   * machine (acks waited; the heartbeat drops sockets past 3.5 s). Other processes' sockets in
   * the channel (cluster mode) get it in one go from their own process.
   */
  private async sliced(
    io: AppServer,
    channel: string,
    except: readonly string[],
    local: readonly string[],
    message: ServerMessage,
  ): Promise<void> {
    const emit = (target: { emit: unknown }) =>
      (target.emit as (event: string, payload: unknown) => boolean).call(
        target,
        message.event,
        message.payload,
      );
    emit(io.to(channel).except([...except, ...local]));
    for (let i = 0; i < local.length; i += BROADCAST_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      emit(io.local.to(local.slice(i, i + BROADCAST_SLICE)));
    }
  }

  /**
   * The reveal, fitted to each audience: the projector gets the whole class, each phone the top of
   * the leaderboard, the police and its own row (views.phoneRevealView), a few kB instead of the
   * ~0.5 MB that 2,000 students' rows take. Per player channel, so it works across processes.
   */
  private async deliverReveal(io: AppServer, to: Audience, view: RevealView): Promise<void> {
    if (to.kind === "player") {
      io.to(playerChannel(to.playerId)).emit("round:revealed", phoneRevealView(view, to.playerId));
      return;
    }
    if (to.kind === "room") io.to(hostChannel(this.id)).emit("round:revealed", view);
    const fitted = phoneRevealViews(view);
    let sent = 0;
    for (const p of view.players) {
      if (p.isPolice) continue;
      // Pongs and acks get a turn between slices (see sliced()).
      if (++sent % BROADCAST_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      io.to(playerChannel(p.playerId)).emit("round:revealed", fitted(p.playerId));
    }
  }

  /** Sends only the newest message per key every COALESCE_MS (lobby floods, progress). */
  private coalesce(key: string, send: () => void): void {
    this.coalesced.set(key, send);
    this.coalesceTimer ??= setTimeout(() => {
      this.coalesceTimer = null;
      const pending = [...this.coalesced.values()];
      this.coalesced.clear();
      for (const s of pending) s();
    }, COALESCE_MS);
  }

  scheduleReveal(roundId: string, at: number): void {
    if (this.revealTimer) clearTimeout(this.revealTimer);
    const delay = Math.max(0, at - this.deps.clock());
    this.revealTimer = setTimeout(() => {
      this.revealTimer = null;
      void this.dispatch({ type: "reveal", roundId, by: "timer" }).committed;
    }, delay);
  }

  /** Everything queued has been executed (emits sent, writes committed). */
  async settled(): Promise<void> {
    await this.tail;
    await this.barrier;
  }

  stop(): void {
    if (this.revealTimer) clearTimeout(this.revealTimer);
    if (this.coalesceTimer) clearTimeout(this.coalesceTimer);
    for (const send of this.coalesced.values()) send();
    this.coalesced.clear();
    this.revealTimer = null;
    this.coalesceTimer = null;
  }

  isPlayer(playerId: string): boolean {
    return Object.hasOwn(this.state.players, playerId as PlayerId);
  }
}
