// Seats and room settings: joining, reconnecting, kicking, locking, the trainer's status.
import { ErrorCode } from "../protocol/codes";
import { RoomSettings } from "../protocol/schemas";
import type { GameEvent } from "./events";
import {
  MAX_PLAYERS,
  POLICE_ID,
  POLICE_NICKNAME,
  RoomPhase,
  nicknameKey,
  type GameState,
  type PlayerId,
  type PlayerState,
} from "./state";
import {
  ack,
  catchUp,
  emit,
  newId,
  reject,
  roomStateEmits,
  roomWrite,
  toPlayer,
  withPlayer,
  type ReduceContext,
  type Transition,
} from "./transition";

export function join(
  state: GameState,
  e: Extract<GameEvent, { type: "player-join" }>,
  ctx: ReduceContext,
): Transition {
  const existing = Object.values(state.players).find((p) => p.seatTokenHash === e.seatTokenHash);
  if (existing) {
    if (existing.kicked) return reject(state, ErrorCode.Kicked);
    const next = existing.connected ? state : withPlayer(state, { ...existing, connected: true });
    return {
      state: next,
      effects: [
        ack({
          kind: "joined",
          playerId: existing.id,
          nickname: existing.nickname,
          returning: true,
        }),
        ...roomStateEmits(next, ctx.now),
        ...catchUp(next, existing.id, ctx.now),
      ],
    };
  }
  if (state.status === RoomPhase.Ended) return reject(state, ErrorCode.RoomEnded);
  if (state.locked) return reject(state, ErrorCode.RoomLocked);
  if (Object.keys(state.players).length >= MAX_PLAYERS) return reject(state, ErrorCode.RoomFull);
  const key = nicknameKey(e.nickname);
  if (key.length === 0) return reject(state, ErrorCode.NicknameRejected);
  // Kicked players keep their nickname: it stays taken, as the database's unique key requires.
  const taken =
    key === nicknameKey(POLICE_NICKNAME) ||
    Object.values(state.players).some((p) => nicknameKey(p.nickname) === key);
  if (taken) return reject(state, ErrorCode.NicknameTaken);
  const id = newId(ctx, (id) => id === POLICE_ID || id in state.players) as PlayerId;
  const player: PlayerState = {
    id,
    seat: Object.keys(state.players).length,
    nickname: e.nickname,
    seatTokenHash: e.seatTokenHash,
    score: 0,
    streak: 0,
    kicked: false,
    connected: true,
    joinedAt: ctx.now,
  };
  const next = withPlayer(state, player);
  return {
    state: next,
    effects: [
      {
        type: "persist",
        write: {
          kind: "player-created",
          roomId: state.roomId,
          player: {
            id,
            nickname: player.nickname,
            seatTokenHash: player.seatTokenHash,
            joinedAt: ctx.now,
          },
        },
      },
      ack({ kind: "joined", playerId: id, nickname: player.nickname, returning: false }),
      ...roomStateEmits(next, ctx.now),
      ...catchUp(next, id, ctx.now),
    ],
  };
}

export function connection(
  state: GameState,
  e: Extract<GameEvent, { type: "player-connection" }>,
  ctx: ReduceContext,
): Transition {
  const player = state.players[e.playerId];
  if (!player) return reject(state, ErrorCode.NotJoined);
  if (player.kicked) return reject(state, ErrorCode.Kicked);
  if (player.connected === e.connected) return { state, effects: [ack({ kind: "done" })] };
  const next = withPlayer(state, { ...player, connected: e.connected });
  return { state: next, effects: [ack({ kind: "done" }), ...roomStateEmits(next, ctx.now)] };
}

export function settings(
  state: GameState,
  e: Extract<GameEvent, { type: "settings" }>,
  ctx: ReduceContext,
): Transition {
  if (state.status === RoomPhase.Ended) return reject(state, ErrorCode.RoomEnded);
  const changes = Object.fromEntries(Object.entries(e.settings).filter(([, v]) => v !== undefined));
  const parsed = RoomSettings.safeParse({ ...state.settings, ...changes });
  if (!parsed.success) return reject(state, ErrorCode.BadPayload);
  const merged = parsed.data;
  const shapeChanged =
    merged.roundSize !== state.settings.roundSize ||
    merged.roundSeconds !== state.settings.roundSeconds;
  // λ, training speed and the caught-fakes switch act on training and may change any time.
  if (shapeChanged && state.status === RoomPhase.Round)
    return reject(state, ErrorCode.RoundInProgress);
  const next: GameState = { ...state, settings: merged };
  return {
    state: next,
    effects: [roomWrite(next, ctx.now), ack({ kind: "done" }), ...roomStateEmits(next, ctx.now)],
  };
}

export function lock(
  state: GameState,
  e: Extract<GameEvent, { type: "lock" }>,
  ctx: ReduceContext,
): Transition {
  if (state.status === RoomPhase.Ended) return reject(state, ErrorCode.RoomEnded);
  if (state.locked === e.locked) return { state, effects: [ack({ kind: "done" })] };
  const next: GameState = { ...state, locked: e.locked };
  return {
    state: next,
    effects: [roomWrite(next, ctx.now), ack({ kind: "done" }), ...roomStateEmits(next, ctx.now)],
  };
}

export function kick(
  state: GameState,
  e: Extract<GameEvent, { type: "kick" }>,
  ctx: ReduceContext,
): Transition {
  const player = state.players[e.playerId];
  if (!player) return reject(state, ErrorCode.NotJoined);
  if (player.kicked) return { state, effects: [ack({ kind: "done" })] };
  const next = withPlayer(state, { ...player, kicked: true, connected: false });
  return {
    state: next,
    effects: [
      { type: "persist", write: { kind: "player-kicked", playerId: player.id } },
      ack({ kind: "done" }),
      emit(toPlayer(player.id), { event: "player:kicked", payload: { code: ErrorCode.Kicked } }),
      { type: "disconnect", playerId: player.id, code: ErrorCode.Kicked },
      ...roomStateEmits(next, ctx.now),
    ],
  };
}

export function trainer(
  state: GameState,
  e: Extract<GameEvent, { type: "trainer" }>,
  ctx: ReduceContext,
): Transition {
  if (e.step !== undefined && !(Number.isInteger(e.step) && e.step >= 0))
    return reject(state, ErrorCode.BadPayload);
  const t = {
    connected: e.connected ?? state.trainer.connected,
    step: e.step ?? state.trainer.step,
    hasGenerator: e.hasGenerator ?? state.trainer.hasGenerator,
  };
  const same =
    t.connected === state.trainer.connected &&
    t.step === state.trainer.step &&
    t.hasGenerator === state.trainer.hasGenerator;
  if (same) return { state, effects: [ack({ kind: "done" })] };
  const next: GameState = { ...state, trainer: t };
  return { state: next, effects: [ack({ kind: "done" }), ...roomStateEmits(next, ctx.now)] };
}
