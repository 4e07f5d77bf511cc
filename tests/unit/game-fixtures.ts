// Shared helpers for the lib/game tests (not a test file itself).
import { IMAGE_PIXELS } from "@/lib/gan/dataset";
import {
  answerOf,
  createGameState,
  reduce,
  resultOf,
  seededRng,
  type Effect,
  type GameEvent,
  type GameState,
  type ItemKind,
  type PlayerId,
  type PreparedItem,
  type ReduceContext,
  type Rng,
  type Transition,
  type ServerMessage,
} from "@/lib/game";

export const T0 = 1_700_000_000_000;

export function ctxAt(now: number, rng: Rng = seededRng(1)): ReduceContext {
  return { now, rng };
}

export function image(seed: number): Uint8Array {
  const img = new Uint8Array(IMAGE_PIXELS);
  for (let i = 0; i < img.length; i++) img[i] = (seed * 31 + i * 7) & 0xff;
  return img;
}

/** `n` items, alternating real/fake, with D probabilities that make D right on most of them. */
export function preparedItems(n: number, rng: Rng = seededRng(7)): PreparedItem[] {
  return Array.from({ length: n }, (_, i) => {
    const kind: ItemKind = i % 2 === 0 ? "real" : "fake";
    return {
      kind,
      image: image(i),
      dProbability: Math.round(rng() * 100) / 100,
      datasetIndex: kind === "real" ? 100 + i : null,
      generatorStep: kind === "fake" ? 500 : null,
    };
  });
}

export function seatHash(i: number): string {
  return `seat-hash-${i.toString().padStart(4, "0")}`;
}

/** Applies `event` and returns the transition, failing loudly if it was rejected. */
export function ok(state: GameState, event: GameEvent, ctx: ReduceContext): Transition {
  const t = reduce(state, event, ctx);
  const r = resultOf(t.effects);
  if (!r.ok) throw new Error(`expected ${event.type} to succeed, got ${r.code}`);
  return t;
}

/** A room with `players` students joined (in the lobby). */
export function roomWithPlayers(players: number, rng: Rng = seededRng(3)) {
  let state = createGameState({ roomId: "room-1", code: "ABC234", now: T0 });
  const ids: PlayerId[] = [];
  for (let i = 0; i < players; i++) {
    const t = ok(
      state,
      { type: "player-join", nickname: `Student ${i}`, seatTokenHash: seatHash(i) },
      ctxAt(T0 + i, rng),
    );
    const r = resultOf(t.effects);
    if (r.ok && r.data.kind === "joined") ids.push(r.data.playerId);
    state = t.state;
  }
  return { state, ids };
}

/** Starts a round of the room's configured size at `now`. */
export function startRound(state: GameState, now: number, rng: Rng = seededRng(5), step = 500) {
  return ok(
    state,
    {
      type: "start-round",
      generatorStep: step,
      items: preparedItems(state.settings.roundSize, rng),
    },
    ctxAt(now, rng),
  );
}

export function emits(effects: readonly Effect[]) {
  return effects.filter((e): e is Extract<Effect, { type: "emit" }> => e.type === "emit");
}

export function persists(effects: readonly Effect[]) {
  return effects.filter((e): e is Extract<Effect, { type: "persist" }> => e.type === "persist");
}

/** JSON with images replaced, for searching serialised payloads. */
export function serialise(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v instanceof Uint8Array ? `<${v.length} bytes>` : v,
  );
}

/** Freezes everything reachable except typed arrays (which cannot be frozen with elements). */
export function deepFreeze<T>(value: T): T {
  if (
    value === null ||
    typeof value !== "object" ||
    ArrayBuffer.isView(value) ||
    Object.isFrozen(value)
  ) {
    return value;
  }
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  Object.freeze(value);
  return value;
}

/** The payload of the first emitted message named `event`, typed by the event name. */
type PayloadOf<E extends ServerMessage["event"]> = Extract<ServerMessage, { event: E }>["payload"];

export function payloadOf<E extends ServerMessage["event"]>(
  effects: readonly Effect[],
  event: E,
): PayloadOf<E> | undefined {
  const found = emits(effects).find((e) => e.message.event === event);
  return found?.message.payload as PayloadOf<E> | undefined;
}

/** The stored answer of `playerId` to `itemId` in the current round, if any. */
export function storedAnswer(state: GameState, itemId: string, playerId: string) {
  const round = state.round;
  const item = round?.items.find((i) => i.id === itemId);
  const player = state.players[playerId as PlayerId];
  if (!round || !item || !player) return null;
  return answerOf(round, item.position, player.seat);
}
