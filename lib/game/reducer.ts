// The room's rules: reduce(state, event, ctx) → { state, effects }. Pure: the clock and the rng
// are injected, the input state is never mutated, and a rejected event returns the same state
// with a single { ok: false, code } ack.
//
// How server/ drives it (one GameState per room, events applied one at a time):
// - Every event yields exactly one `ack` effect: the reply to whoever sent it.
// - Effects run in order. `persist` writes join the current write batch (one transaction per
//   tick); every later `ack` or `emit` — of this event or any later one — is held until the
//   batch holding all earlier persists has committed. So an answer is acknowledged only once it
//   is stored, and round:started goes out only once its items exist for answers to reference.
// - `emit` with `coalesce` may be throttled (latest wins per audience and key).
// - `schedule-reveal` → at `at`, dispatch { type: "reveal", by: "timer", roundId }; a stale or
//   repeated reveal is a no-op, so timers never need cancelling.
// - `disconnect` → close that player's sockets after sending the emits before it.
import type { Effect, GameEvent, GameResult } from "./events";
import { RoomPhase, type GameState } from "./state";
import { ack, roomStateEmits, roomWrite, type ReduceContext, type Transition } from "./transition";
import { answer, startRound } from "./round";
import { reveal, revealRound } from "./reveal";
export type { ReduceContext, Transition } from "./transition";
import { join, connection, settings, lock, kick, trainer } from "./lobby";
import { forge, forgePin, submitForgery } from "./forge";

function end(state: GameState, ctx: ReduceContext): Transition {
  if (state.status === RoomPhase.Ended) return { state, effects: [ack({ kind: "done" })] };
  // A round in progress is revealed first, so every accepted answer counts.
  const revealed =
    state.round !== null && state.round.revealedAt === null
      ? revealRound(state, state.round, ctx)
      : { state, effects: [] as Effect[] };
  const next: GameState = { ...revealed.state, status: RoomPhase.Ended };
  return {
    state: next,
    effects: [
      ...revealed.effects.filter((e) => !(e.type === "emit" && e.message.event === "room:state")),
      roomWrite(next, ctx.now),
      ack({ kind: "done" }),
      ...roomStateEmits(next, ctx.now),
    ],
  };
}

export function reduce(state: GameState, event: GameEvent, ctx: ReduceContext): Transition {
  switch (event.type) {
    case "player-join":
      return join(state, event, ctx);
    case "player-connection":
      return connection(state, event, ctx);
    case "settings":
      return settings(state, event, ctx);
    case "lock":
      return lock(state, event, ctx);
    case "kick":
      return kick(state, event, ctx);
    case "trainer":
      return trainer(state, event, ctx);
    case "start-round":
      return startRound(state, event, ctx);
    case "answer":
      return answer(state, event, ctx);
    case "reveal":
      return reveal(state, event, ctx);
    case "end":
      return end(state, ctx);
    case "forge":
      return forge(state, event, ctx);
    case "forge-pin":
      return forgePin(state, event, ctx);
    case "forge-submit":
      return submitForgery(state, event, ctx);
  }
}

/** The single ack among a transition's effects. */
export function resultOf(effects: readonly Effect[]): GameResult {
  for (const e of effects) if (e.type === "ack") return e.result;
  throw new Error("expected an ack effect, got none");
}
