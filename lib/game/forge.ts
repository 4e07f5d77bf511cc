// The forge's reducer handlers: the teacher's phase, the pinned snapshot, a student's submission.
import { ErrorCode } from "../protocol/codes";
import type { GameEvent } from "./events";
import { checkNoise, encodeNoise, forgeAvailable, forgeRefusal } from "./forge-rules";
import {
  RoomPhase,
  activePlayers,
  type ForgeryState,
  type GameState,
  type PlayerId,
  type RoundState,
} from "./state";
import {
  ack,
  newId,
  reject,
  roomStateEmits,
  roomWrite,
  type ReduceContext,
  type Transition,
} from "./transition";

function withForge(state: GameState, forge: GameState["forge"], ctx: ReduceContext): Transition {
  const next: GameState = { ...state, forge };
  return {
    state: next,
    effects: [roomWrite(next, ctx.now), ack({ kind: "done" }), ...roomStateEmits(next, ctx.now)],
  };
}

export function forge(
  state: GameState,
  e: Extract<GameEvent, { type: "forge" }>,
  ctx: ReduceContext,
): Transition {
  if (state.status === RoomPhase.Ended) return reject(state, ErrorCode.RoomEnded);
  if (e.open && !forgeAvailable(state)) return reject(state, ErrorCode.RoundInProgress);
  if (e.step !== undefined && !(Number.isInteger(e.step) && e.step >= 0))
    return reject(state, ErrorCode.BadPayload);
  const step = state.forge.step ?? (e.open ? (e.step ?? null) : null);
  if (e.open && step === null) return reject(state, ErrorCode.NoGenerator);
  if (state.forge.open === e.open && state.forge.step === step)
    return { state, effects: [ack({ kind: "done" })] };
  return withForge(state, { open: e.open, step }, ctx);
}

export function forgePin(
  state: GameState,
  e: Extract<GameEvent, { type: "forge-pin" }>,
  ctx: ReduceContext,
): Transition {
  if (state.status === RoomPhase.Ended) return reject(state, ErrorCode.RoomEnded);
  if (!forgeAvailable(state)) return reject(state, ErrorCode.ForgeClosed);
  if (!(Number.isInteger(e.step) && e.step >= 0)) return reject(state, ErrorCode.BadPayload);
  // Already pinned: everyone forges with the same snapshot until the next round.
  if (state.forge.step === e.step || (state.forge.step !== null && !e.force))
    return { state, effects: [ack({ kind: "done" })] };
  return withForge(state, { ...state.forge, step: e.step }, ctx);
}

export function submitForgery(
  state: GameState,
  e: Extract<GameEvent, { type: "forge-submit" }>,
  ctx: ReduceContext,
): Transition {
  const refusal = forgeRefusal(state, e.playerId, e.step);
  if (refusal) return reject(state, refusal);
  const checked = checkNoise(e.noise, e.noise.length);
  if (!checked.ok) return reject(state, checked.code);
  if (!(e.image instanceof Uint8Array) || e.image.length !== 784)
    return reject(state, ErrorCode.BadPayload);
  if (
    e.suspicion !== null &&
    !(Number.isFinite(e.suspicion) && e.suspicion >= 0 && e.suspicion <= 1)
  )
    return reject(state, ErrorCode.BadPayload);
  const previous = state.forgeries.find((f) => f.authorId === e.playerId) ?? null;
  const id = newId(ctx, (id) => state.forgeries.some((f) => f.id === id));
  const forgery: ForgeryState = {
    id,
    authorId: e.playerId,
    step: e.step,
    image: e.image.slice(),
    suspicion: e.suspicion,
    submittedAt: ctx.now,
  };
  // One forgery per student waits at a time: a new one replaces it (and takes the queue's end).
  const next: GameState = {
    ...state,
    forgeries: [...state.forgeries.filter((f) => f !== previous), forgery],
  };
  return {
    state: next,
    effects: [
      {
        type: "persist",
        write: {
          kind: "forgery-submitted",
          roomId: state.roomId,
          forgery: {
            id,
            playerId: e.playerId,
            step: e.step,
            noise: encodeNoise(e.noise),
            image: forgery.image,
            suspicion: e.suspicion,
            at: ctx.now,
          },
          replaces: previous?.id ?? null,
        },
      },
      ack({ kind: "forged", forgeryId: id, step: e.step, replaced: previous !== null }),
      ...roomStateEmits(next, ctx.now),
    ],
  };
}

/** Active students who have a forgery in `round` (they get their own list of its items). */
export function authorsIn(state: GameState, round: RoundState): PlayerId[] {
  const authors = new Set<PlayerId>();
  for (const item of round.items) if (item.authorId != null) authors.add(item.authorId);
  return activePlayers(state)
    .filter((p) => authors.has(p.id))
    .map((p) => p.id);
}
