// The room service: adapts sockets, timers and storage to the pure reducer (lib/game). Every
// handler receives a payload already parsed by its zod schema (server/realtime.ts).
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from "obscenity";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { GameResult } from "../../lib/game/events";
import { createGameState, type PlayerId } from "../../lib/game/state";
import {
  revealView,
  roomStateView,
  roundStartedView,
  waitingForgeryOf,
} from "../../lib/game/views";
import { SnapshotError } from "../../lib/gan/snapshot";
import {
  decodeNoise,
  eligibleForgeries,
  forgeAvailable,
  forgeRefusal,
} from "../../lib/game/forge-rules";
import { ErrorCode, errorMessages } from "../../lib/protocol/codes";
import {
  DEFAULT_ROOM_SETTINGS,
  PROTOCOL_VERSION,
  type HostToken,
  type SeatToken,
} from "../../lib/protocol/schemas";
import type { Db } from "../db";
import type { Logger } from "../logger";
import { createPolice, type RoomPolice } from "../police";
import { createForgeRenderer, type ForgeRenderer, type ForgeSnapshot } from "../forge";
import { fail, ok, type AppServer, type AppSocket, type Handlers } from "../realtime";
import { hashToken, newId, newJoinCode, newToken, tokenMatches } from "../tokens";
import { prepareItems } from "./items";
import { createRoomRepo } from "./repo";
import { hostChannel, playerChannel, playersChannel, roomChannel, RoomRuntime } from "./runtime";
import { createWriteBatcher } from "./writer";

/** Snapshots reach the database at most this often (each is up to ~1 MB). */
const SNAPSHOT_SAVE_INTERVAL_MS = 60_000;

export interface RoomServiceDeps {
  db: Db;
  logger: Logger;
  clock: () => number;
  rng: () => number;
  police?: RoomPolice;
  /** Draws students' forgeries from their noise vectors (default: tfjs cpu in this process). */
  forge?: ForgeRenderer;
  /** Cluster mode (server/cluster): whether this process holds the room's lease. Without it the
   * room is never loaded here and its runtime refuses events (a stale owner cannot write). */
  owns?: (code: string) => boolean;
  /** Cluster mode: takes the lease of a fresh join code before the room is created. */
  claim?: (code: string) => Promise<boolean>;
}

export interface RoomService {
  handlers: Handlers;
  attach(io: AppServer): void;
  onConnection(socket: AppSocket): void;
  onDisconnect(socket: AppSocket, reason: string): void;
  /** The room's newest snapshot for its host (null: wrong code or token, or none yet). */
  latestSnapshot(
    code: string,
    hostToken: string,
  ): Promise<{ step: number; weights: Uint8Array } | null>;
  /**
   * The snapshot a student forges with (pinned for the room until its next round), for the seat
   * with this token; null: wrong code or seat, a round is running, or no snapshot yet.
   */
  forgeSnapshot(code: string, seatToken: string): Promise<ForgeSnapshot | null>;
  /** Drops a room from memory (its rows were deleted): its sockets are told and closed. */
  forget(roomId: string): void;
  /** Cluster mode: the room is in memory here. */
  hasRoom(code: string): boolean;
  /** Cluster mode: restores a room this process just took over, and marks present the players and
   * host still connected to any process (`present` lists their sockets' data). False: no room. */
  adopt(
    code: string,
    present: (roomId: string) => Promise<{ playerId?: string; hostOfRoomId?: string }[]>,
  ): Promise<boolean>;
  /** Cluster mode: drops a room whose lease this process lost, leaving its sockets alone. */
  release(code: string): void;
  close(): Promise<void>;
}

const nicknames = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
});

function fromGame<T>(
  result: GameResult,
  data: T,
): ReturnType<typeof ok<T>> | ReturnType<typeof fail<T>> {
  return result.ok ? ok(data) : fail<T>(result.code);
}

export function createRoomService(deps: RoomServiceDeps): RoomService {
  const { db, logger, clock, rng } = deps;
  const repo = createRoomRepo(db);
  const writer = createWriteBatcher(db, logger);
  const police = deps.police ?? createPolice();
  const forger = deps.forge ?? createForgeRenderer();
  /** The forge's pinned snapshot per room id (its step is the state's forge.step). */
  const forgeSnaps = new Map<string, ForgeSnapshot>();
  const pinning = new Map<string, Promise<ForgeSnapshot | null>>();
  const live = new Map<string, RoomRuntime>(); // by join code
  const loading = new Map<string, Promise<RoomRuntime | null>>();
  let io: AppServer | null = null;
  // Wrong join codes are throttled per address; a whole class behind one NAT still joins fine.
  const guesses = new RateLimiterMemory({ points: 30, duration: 60 });

  const runtimeDeps = {
    io: () => io,
    writer,
    logger,
    clock,
    rng,
    idGen: newId,
    mayWrite: deps.owns,
  };

  async function room(code: string): Promise<RoomRuntime | null> {
    const existing = live.get(code);
    if (existing) return existing;
    let pending = loading.get(code);
    if (!pending && deps.owns && !deps.owns(code)) return null;
    if (!pending) {
      pending = (async () => {
        const loaded = await repo.loadRoom(code, rng);
        if (!loaded) return null;
        const rt = new RoomRuntime(loaded, runtimeDeps);
        if (loaded.revealAt) rt.scheduleReveal(loaded.revealAt.roundId, loaded.revealAt.at);
        if (loaded.runId) {
          const snap = await repo.latestSnapshot(loaded.runId);
          if (snap) {
            police.setSnapshot(loaded.state.roomId, snap.weights);
            rt.snapshotStep = snap.step;
            rt.latestSnapshot = snap;
          }
          const pinned = loaded.state.forge.step;
          const forgeSnap = pinned === null ? null : await repo.snapshotAt(loaded.runId, pinned);
          if (forgeSnap) forgeSnaps.set(loaded.state.roomId, forgeSnap);
        }
        live.set(code, rt);
        logger.info({ room: code }, "room restored from the database");
        return rt;
      })().finally(() => loading.delete(code));
      loading.set(code, pending);
    }
    return pending;
  }

  /**
   * The room's forge snapshot, pinning the newest one if none is (or its bytes were lost in a
   * restart). Stored first, so a restart forges on with the very same generator.
   */
  function pinForge(rt: RoomRuntime): Promise<ForgeSnapshot | null> {
    const have = forgeSnaps.get(rt.id);
    if (have && have.step === rt.state.forge.step) return Promise.resolve(have);
    let pending = pinning.get(rt.id);
    if (!pending) {
      pending = (async () => {
        const latest = rt.latestSnapshot;
        if (!forgeAvailable(rt.state) || !latest) return null;
        if (rt.runId && !(await repo.snapshotAt(rt.runId, latest.step)))
          await repo.saveSnapshot({
            id: newId(),
            runId: rt.runId,
            step: latest.step,
            weights: latest.weights,
          });
        const force = rt.state.forge.step !== null;
        const done = await rt.dispatch({ type: "forge-pin", step: latest.step, force }).committed;
        if (!done.ok) return null;
        const snap = { step: latest.step, weights: latest.weights };
        forgeSnaps.set(rt.id, snap);
        return snap;
      })().finally(() => pinning.delete(rt.id));
      pinning.set(rt.id, pending);
    }
    return pending;
  }

  function forgetForge(roomId: string): void {
    forger.forget(roomId);
    forgeSnaps.delete(roomId);
  }

  /** The room when `hostToken` is its host's; every host action goes through here. */
  async function hostRoom(
    socket: AppSocket,
    code: string,
    hostToken: HostToken,
  ): Promise<RoomRuntime | null> {
    const rt = await room(code);
    if (!rt || !tokenMatches(hostToken, rt.hostTokenHash)) {
      logger.warn({ room: code, ip: socket.data.ip }, "forged host action rejected");
      return null;
    }
    return rt;
  }

  function attachHost(socket: AppSocket, rt: RoomRuntime): void {
    socket.data.hostOfRoomId = rt.id;
    void socket.join([roomChannel(rt.id), hostChannel(rt.id)]);
  }

  const stale = () => fail<never>(ErrorCode.StaleClient);

  /** A reloaded projector gets back what it showed: the round's images, the reveal, the chart. */
  function catchUpHost(socket: AppSocket, rt: RoomRuntime): void {
    const { state } = rt;
    if (state.stats.byRound.length > 0) socket.emit("stats:update", state.stats);
    if (!state.round) return;
    if (state.status === "round")
      socket.emit("round:started", roundStartedView(state.round, clock()));
    const reveal = state.status === "reveal" ? revealView(state) : null;
    if (reveal) socket.emit("round:revealed", reveal);
  }

  const handlers: Handlers = {
    async "room:create"(socket, p) {
      if (p.protocolVersion !== PROTOCOL_VERSION) return stale();
      let code = newJoinCode();
      while (
        live.has(code) ||
        (await repo.codeExists(code)) ||
        (deps.claim && !(await deps.claim(code)))
      )
        code = newJoinCode();
      const hostToken = newToken() as HostToken;
      const settings = { ...DEFAULT_ROOM_SETTINGS, ...p.settings };
      const now = clock();
      const state = createGameState({ roomId: newId(), code, now, settings });
      const runId = newId();
      await repo.createRoom({
        id: state.roomId,
        code,
        settings,
        hostTokenHash: hashToken(hostToken),
        createdAt: now,
        runId,
        runConfig: JSON.stringify({ settings }),
      });
      const rt = new RoomRuntime(
        { state, hostTokenHash: hashToken(hostToken), runId },
        runtimeDeps,
      );
      live.set(code, rt);
      attachHost(socket, rt);
      rt.dispatch({ type: "trainer", connected: true });
      logger.info({ room: code }, "room created");
      return ok({ roomId: state.roomId, code, hostToken, state: roomStateView(rt.state, clock()) });
    },

    async "host:resume"(socket, p) {
      if (p.protocolVersion !== PROTOCOL_VERSION) return stale();
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      attachHost(socket, rt);
      rt.dispatch({ type: "trainer", connected: true });
      catchUpHost(socket, rt);
      return ok(roomStateView(rt.state, clock()));
    },

    async "room:join"(socket, p) {
      if (p.protocolVersion !== PROTOCOL_VERSION) return stale();
      // An address past its wrong-code budget is refused any new seat, right code or not, so a
      // guesser learns nothing more; a seat token that exists still brings its player back.
      const guessed = await guesses.get(socket.data.ip);
      const throttled = guessed !== null && guessed.remainingPoints <= 0;
      if (throttled && !p.seatToken) return fail(ErrorCode.RateLimited);
      const rt = await room(p.code);
      const seatToken = p.seatToken ?? (newToken() as SeatToken);
      // Only a seat that exists skips the filter: a made-up token must not let a name through.
      const seatHash = hashToken(seatToken);
      const returning =
        rt !== null && Object.values(rt.state.players).some((pl) => pl.seatTokenHash === seatHash);
      if (throttled && !returning) return fail(ErrorCode.RateLimited);
      if (!rt) {
        const allowed = await guesses.consume(socket.data.ip).then(
          () => true,
          () => false,
        );
        return fail(allowed ? ErrorCode.RoomNotFound : ErrorCode.RateLimited);
      }
      if (!returning && nicknames.hasMatch(p.nickname)) return fail(ErrorCode.NicknameRejected);
      const { result, committed } = rt.dispatch({
        type: "player-join",
        nickname: p.nickname,
        seatTokenHash: seatHash,
      });
      if (!result.ok || result.data.kind !== "joined") return fromGame(result, null as never);
      const { playerId, nickname } = result.data;
      // Join the channels now, so catch-up messages queued by this join reach the socket.
      socket.data.playerId = playerId;
      socket.data.roomId = rt.id;
      void socket.join([roomChannel(rt.id), playersChannel(rt.id), playerChannel(playerId)]);
      const done = await committed;
      if (!done.ok) return fail(done.code);
      rt.dispatch({ type: "player-connection", playerId, connected: true });
      return ok({
        playerId,
        nickname,
        seatToken,
        state: roomStateView(rt.state, clock()),
        forgery: waitingForgeryOf(rt.state, playerId),
      });
    },

    async "round:answer"(socket, p) {
      const { playerId, roomId } = socket.data;
      const rt = roomId ? [...live.values()].find((r) => r.id === roomId) : undefined;
      if (!playerId || !rt) return fail(ErrorCode.NotJoined);
      const { committed } = rt.dispatch({
        type: "answer",
        playerId: playerId as PlayerId,
        roundId: p.roundId,
        itemId: p.itemId,
        verdict: p.verdict,
      });
      const done = await committed;
      if (!done.ok) return fail(done.code);
      if (done.data.kind !== "answered") return fail(ErrorCode.Internal);
      const { roundId, itemId, verdict, duplicate } = done.data;
      return ok({ roundId, itemId, verdict, duplicate });
    },

    async "host:settings"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      const done = await rt.dispatch({ type: "settings", settings: p.settings }).committed;
      return fromGame(done, roomStateView(rt.state, clock()));
    },

    async "host:start-round"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      if (rt.state.status === "round") return fail(ErrorCode.RoundInProgress);
      if (rt.state.status === "ended") return fail(ErrorCode.RoomEnded);
      const fakes = rt.fakes ?? (await police.generate(rt.id, 64, rng));
      if (!fakes) return fail(ErrorCode.NoGenerator);
      const { items, generatorStep } = await prepareItems({
        roomId: rt.id,
        size: rt.state.settings.roundSize,
        fakes,
        police,
        rng,
        forgeries: eligibleForgeries(rt.state),
      });
      const done = await rt.dispatch({ type: "start-round", generatorStep, items }).committed;
      if (!done.ok) return fail(done.code);
      return ok({ roundId: done.data.kind === "round-started" ? done.data.roundId : "" });
    },

    async "host:forge"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      if (p.open && forgeAvailable(rt.state) && !(await pinForge(rt)))
        return fail(ErrorCode.NoGenerator);
      const done = await rt.dispatch({ type: "forge", open: p.open }).committed;
      return fromGame(done, roomStateView(rt.state, clock()));
    },

    async "forge:submit"(socket, p) {
      const { playerId, roomId } = socket.data;
      const rt = roomId ? [...live.values()].find((r) => r.id === roomId) : undefined;
      if (!playerId || !rt) return fail(ErrorCode.NotJoined);
      // Checked before drawing (drawing costs CPU), and again by the reducer after it.
      const refusal = forgeRefusal(rt.state, playerId as PlayerId, p.step);
      if (refusal) return fail(refusal);
      const snap = forgeSnaps.get(rt.id);
      if (!snap || snap.step !== p.step) return fail(ErrorCode.StaleSnapshot);
      const checked = decodeNoise(p.noise, forger.latentDim(rt.id, snap));
      if (!checked.ok) return fail(checked.code);
      const drawn = await forger.render(rt.id, snap, checked.noise);
      const done = await rt.dispatch({
        type: "forge-submit",
        playerId: playerId as PlayerId,
        step: p.step,
        noise: checked.noise,
        image: drawn.image,
        suspicion: drawn.suspicion,
      }).committed;
      if (!done.ok) return fail(done.code);
      if (done.data.kind !== "forged") return fail(ErrorCode.Internal);
      return ok({
        forgeryId: done.data.forgeryId,
        step: done.data.step,
        image: drawn.image,
        suspicion: drawn.suspicion,
        replaced: done.data.replaced,
      });
    },

    async "host:reveal"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      const done = await rt.dispatch({ type: "reveal", by: "host" }).committed;
      return fromGame(done, {
        roundId: done.ok && done.data.kind === "revealed" ? done.data.roundId : "",
      });
    },

    async "host:kick"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      if (!rt.isPlayer(p.playerId))
        return fail(ErrorCode.NotJoined, "No such player in this game.");
      io?.to(playerChannel(p.playerId)).emit("player:kicked", { code: ErrorCode.Kicked });
      const done = await rt.dispatch({ type: "kick", playerId: p.playerId as PlayerId }).committed;
      return fromGame(done, roomStateView(rt.state, clock()));
    },

    async "host:lock"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      const done = await rt.dispatch({ type: "lock", locked: p.locked }).committed;
      return fromGame(done, roomStateView(rt.state, clock()));
    },

    async "host:end"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      const done = await rt.dispatch({ type: "end" }).committed;
      const state = roomStateView(rt.state, clock());
      if (done.ok) {
        await rt.settled();
        rt.stop();
        police.forget(rt.id);
        forgetForge(rt.id);
        live.delete(rt.state.code);
      }
      return fromGame(done, state);
    },

    async "trainer:snapshot"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      let step: number;
      try {
        step = police.setSnapshot(rt.id, p.weights).step;
      } catch (err) {
        const message =
          err instanceof SnapshotError
            ? `Snapshot rejected: ${err.message}`
            : errorMessages.BAD_SNAPSHOT;
        return fail(ErrorCode.BadSnapshot, message);
      }
      rt.snapshotStep = step;
      rt.latestSnapshot = { step, weights: new Uint8Array(p.weights) };
      const now = clock();
      if (rt.runId && now - rt.lastSnapshotSavedAt >= SNAPSHOT_SAVE_INTERVAL_MS) {
        rt.lastSnapshotSavedAt = now;
        await repo.saveSnapshot({ id: newId(), runId: rt.runId, step, weights: p.weights });
      }
      rt.dispatch({ type: "trainer", step });
      return ok({ step });
    },

    async "trainer:metrics"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      if (rt.runId)
        await repo.saveMetrics(
          rt.runId,
          p.metrics,
          p.metrics.map(() => newId()),
        );
      return ok({ stored: p.metrics.length });
    },

    async "trainer:fakes"(socket, p) {
      const rt = await hostRoom(socket, p.code, p.hostToken);
      if (!rt) return fail(ErrorCode.NotHost);
      rt.fakes = { step: p.step, images: new Uint8Array(p.images) };
      rt.dispatch({
        type: "trainer",
        step: Math.max(p.step, rt.state.trainer.step),
        hasGenerator: true,
      });
      return ok({ stored: p.images.byteLength / 784 });
    },
  };

  return {
    handlers,
    attach(server) {
      io = server;
    },
    onConnection() {},
    onDisconnect(socket) {
      const { playerId, roomId, hostOfRoomId } = socket.data;
      const byId = (id: string) => [...live.values()].find((r) => r.id === id);
      if (playerId && roomId) {
        const rt = byId(roomId);
        const stillThere = io?.sockets.adapter.rooms.get(playerChannel(playerId))?.size ?? 0;
        if (rt && stillThere === 0)
          rt.dispatch({
            type: "player-connection",
            playerId: playerId as PlayerId,
            connected: false,
          });
      }
      if (hostOfRoomId) {
        const rt = byId(hostOfRoomId);
        const hosts = io?.sockets.adapter.rooms.get(hostChannel(hostOfRoomId))?.size ?? 0;
        if (rt && hosts === 0) rt.dispatch({ type: "trainer", connected: false });
      }
    },
    async latestSnapshot(code, hostToken) {
      if (deps.owns && !deps.owns(code)) {
        // Another process runs the room: the newest snapshot it saved to the database.
        const row = await db.room.findUnique({
          where: { code },
          select: { hostTokenHash: true, runs: { select: { id: true }, take: 1 } },
        });
        const runId = row?.runs[0]?.id;
        if (!row || !runId || !tokenMatches(hostToken, row.hostTokenHash)) return null;
        return repo.latestSnapshot(runId);
      }
      const rt = await room(code);
      if (!rt || !tokenMatches(hostToken, rt.hostTokenHash)) return null;
      return rt.latestSnapshot;
    },
    async forgeSnapshot(code, seatToken) {
      const rt = await room(code);
      if (!rt) return null;
      const hash = hashToken(seatToken);
      const seat = Object.values(rt.state.players).find((pl) => pl.seatTokenHash === hash);
      if (!seat || seat.kicked) return null;
      return pinForge(rt);
    },
    forget(roomId) {
      const rt = [...live.values()].find((r) => r.id === roomId);
      if (!rt) return;
      rt.stop();
      police.forget(roomId);
      forgetForge(roomId);
      live.delete(rt.state.code);
      io?.to(roomChannel(roomId)).emit("error", {
        code: ErrorCode.RoomEnded,
        message: "The teacher deleted this game.",
      });
      io?.in(roomChannel(roomId)).disconnectSockets(true);
    },
    hasRoom(code) {
      return live.has(code) || loading.has(code);
    },
    async adopt(code, present) {
      const rt = await room(code);
      if (!rt) return false;
      for (const data of await present(rt.id)) {
        if (data.playerId && rt.isPlayer(data.playerId))
          rt.dispatch({
            type: "player-connection",
            playerId: data.playerId as PlayerId,
            connected: true,
          });
        if (data.hostOfRoomId === rt.id) rt.dispatch({ type: "trainer", connected: true });
      }
      return true;
    },
    release(code) {
      const rt = live.get(code);
      if (!rt) return;
      rt.stop();
      police.forget(rt.id);
      forgetForge(rt.id);
      live.delete(code);
    },
    async close() {
      for (const rt of live.values()) {
        rt.stop();
        await rt.settled();
      }
      await writer.drain();
    },
  };
}
