// Students as counterfeiters: the forge's rules, as pure functions. A student sends a noise vector;
// the server draws the image with the pinned snapshot's generator (forge.ts handles the event).
// Pending forgeries enter the next round as fakes, never shown to their author; each classmate
// they fool earns the forger points.
import { ErrorCode } from "../protocol/codes";
import {
  RoomPhase,
  answersTo,
  type ForgeryState,
  type GameState,
  type ItemState,
  type PlayerId,
  type RoundState,
} from "./state";

/** Largest |z_i| accepted: a standard normal draw lands past 5 about once in 3.5 million. */
export const NOISE_LIMIT = 5;
/** Points a forger earns for each classmate who called their forgery real. */
export const POINTS_PER_FOOLED = 50;

export type NoiseCheck =
  | { readonly ok: true; readonly noise: Float32Array }
  | { readonly ok: false; readonly code: ErrorCode };

/** float32 little-endian bytes of a noise vector (the wire and storage format). */
export function encodeNoise(noise: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(noise.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < noise.length; i++) view.setFloat32(i * 4, noise[i]!, true);
  return out;
}

/**
 * Reads and validates a noise vector for a generator with `latentDim` inputs: exactly that many
 * float32 values, every one finite and within ±NOISE_LIMIT.
 */
export function decodeNoise(bytes: Uint8Array, latentDim: number): NoiseCheck {
  if (bytes.byteLength !== latentDim * 4) return { ok: false, code: ErrorCode.NoiseLength };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const noise = new Float32Array(latentDim);
  for (let i = 0; i < latentDim; i++) noise[i] = view.getFloat32(i * 4, true);
  return checkNoise(noise, latentDim);
}

export function checkNoise(noise: Float32Array, latentDim: number): NoiseCheck {
  if (noise.length !== latentDim) return { ok: false, code: ErrorCode.NoiseLength };
  for (const v of noise)
    if (!Number.isFinite(v)) return { ok: false, code: ErrorCode.NoiseNotFinite };
  for (const v of noise)
    if (Math.abs(v) > NOISE_LIMIT) return { ok: false, code: ErrorCode.NoiseOutOfRange };
  return { ok: true, noise };
}

/** Forging is open between rounds: in the lobby and after a reveal, never during a round. */
export function forgeAvailable(state: GameState): boolean {
  return state.status === RoomPhase.Lobby || state.status === RoomPhase.Reveal;
}

/** Why `playerId` may not submit a vector drawn with snapshot `step` now; null if they may. */
export function forgeRefusal(state: GameState, playerId: PlayerId, step: number): ErrorCode | null {
  const player = state.players[playerId];
  if (!player) return ErrorCode.NotJoined;
  if (player.kicked) return ErrorCode.Kicked;
  if (state.status === RoomPhase.Ended) return ErrorCode.RoomEnded;
  if (!forgeAvailable(state)) return ErrorCode.ForgeClosed;
  if (state.forge.step === null || state.forge.step !== step) return ErrorCode.StaleSnapshot;
  return null;
}

/** How many of a round's `fakeCount` fakes may be students' forgeries: at most half. */
export function forgerySlots(fakeCount: number): number {
  return Math.ceil(Math.max(0, fakeCount) / 2);
}

/** Forgeries that may enter the next round, in the order they should: oldest first. */
export function eligibleForgeries(state: GameState): ForgeryState[] {
  return state.forgeries.filter((f) => {
    const author = state.players[f.authorId];
    return author !== undefined && !author.kicked;
  });
}

export interface ForgeryOutcome {
  readonly itemId: string;
  readonly authorId: PlayerId;
  readonly nickname: string;
  /** Classmates who called it real. */
  readonly fooled: number;
  /** Classmates who judged it. */
  readonly judged: number;
  /** The police called it real; null when D did not judge it. */
  readonly policeFooled: boolean | null;
  readonly points: number;
}

/** The forger's points: POINTS_PER_FOOLED for each classmate fooled. */
export function forgeryPoints(fooled: number): number {
  return POINTS_PER_FOOLED * Math.max(0, Math.floor(fooled));
}

function outcome(state: GameState, round: RoundState, item: ItemState): ForgeryOutcome | null {
  if (item.authorId == null) return null;
  let fooled = 0;
  let judged = 0;
  for (const a of answersTo(round, item.position)) {
    if (a.playerId === item.authorId) continue; // cannot happen: the author never gets the item
    judged++;
    if (a.verdict === "real") fooled++;
  }
  const police = round.police[item.id];
  return {
    itemId: item.id,
    authorId: item.authorId,
    nickname: state.players[item.authorId]?.nickname ?? "?",
    fooled,
    judged,
    policeFooled: police ? police.verdict === "real" : null,
    points: forgeryPoints(fooled),
  };
}

/** Every forgery of a round and how it fared (meaningful once the round is revealed). */
export function forgeryOutcomes(state: GameState, round: RoundState): ForgeryOutcome[] {
  const out: ForgeryOutcome[] = [];
  for (const item of round.items) {
    const o = outcome(state, round, item);
    if (o) out.push(o);
  }
  return out;
}

/** Forging points per author in a round. */
export function forgePointsByAuthor(round: RoundState): Map<PlayerId, number> {
  const points = new Map<PlayerId, number>();
  for (const item of round.items) {
    if (item.authorId == null) continue;
    let fooled = 0;
    for (const a of answersTo(round, item.position)) if (a.verdict === "real") fooled++;
    points.set(item.authorId, (points.get(item.authorId) ?? 0) + forgeryPoints(fooled));
  }
  return points;
}

/** Classmates fooled per author over every revealed round: the "best counterfeiter" column. */
export function fooledTotals(state: GameState): Map<PlayerId, number> {
  const totals = new Map<PlayerId, number>();
  for (const r of state.history)
    for (const item of r.items)
      if (item.authorId != null)
        totals.set(item.authorId, (totals.get(item.authorId) ?? 0) + item.saidReal);
  return totals;
}
