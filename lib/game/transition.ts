// Building blocks shared by the reducer's handlers.
import { ErrorCode } from "../protocol/codes";
import type { AckData, Audience, Effect, GameResult, ServerMessage } from "./events";
import { randomId, type Rng } from "./random";
import { RoomPhase, type GameState, type PlayerId, type PlayerState } from "./state";
import { playerRevealView, playerRoundView, revealView, roomStateView } from "./views";

export interface ReduceContext {
  /** Server clock, ms since the epoch. */
  readonly now: number;
  readonly rng: Rng;
  /** Unpredictable ids (e.g. nanoid); defaults to ids drawn from `rng`. */
  readonly idGen?: () => string;
  /** Bootstrap resamples for the statistics computed at each reveal (default STATS_ITERATIONS). */
  readonly statsIterations?: number;
}

export interface Transition {
  readonly state: GameState;
  readonly effects: readonly Effect[];
}

/** Students listed in room:state broadcasts to phones; the host always gets everyone. */
export const PHONE_PLAYER_LIST = 50;
/** Bootstrap resamples for the statistics computed at each reveal. */
export const STATS_ITERATIONS = 1000;

export const ack = (data: AckData): Effect => ({ type: "ack", result: { ok: true, data } });
export const reject = (state: GameState, code: ErrorCode): Transition => ({
  state,
  effects: [{ type: "ack", result: { ok: false, code } satisfies GameResult }],
});
export const emit = (to: Audience, message: ServerMessage, coalesce?: string): Effect =>
  coalesce === undefined ? { type: "emit", to, message } : { type: "emit", to, message, coalesce };
export const toPlayer = (playerId: PlayerId): Audience => ({ kind: "player", playerId });

export function roomStateEmits(state: GameState, now: number): Effect[] {
  return [
    emit(
      { kind: "host" },
      { event: "room:state", payload: roomStateView(state, now) },
      "room:state",
    ),
    emit(
      { kind: "players" },
      {
        event: "room:state",
        payload: roomStateView(state, now, { maxPlayers: PHONE_PLAYER_LIST }),
      },
      "room:state",
    ),
  ];
}

export function roomWrite(state: GameState, now: number): Effect {
  return {
    type: "persist",
    write: {
      kind: "room",
      roomId: state.roomId,
      status: state.status,
      locked: state.locked,
      settings: state.settings,
      endedAt: state.status === RoomPhase.Ended ? now : null,
      forge: state.forge,
    },
  };
}

export function newId(ctx: ReduceContext, taken: (id: string) => boolean): string {
  for (;;) {
    const id = ctx.idGen ? ctx.idGen() : randomId(ctx.rng);
    if (!taken(id)) return id;
  }
}

export function withPlayer(state: GameState, player: PlayerState): GameState {
  return { ...state, players: { ...state.players, [player.id]: player } };
}

/** What a (re)joining player needs to catch up with the current phase. */
export function catchUp(state: GameState, playerId: PlayerId, now: number): Effect[] {
  const effects: Effect[] = [];
  const view = playerRoundView(state, playerId, now);
  if (view && (state.status === RoomPhase.Round || state.status === RoomPhase.Reveal)) {
    effects.push(emit(toPlayer(playerId), { event: "round:resume", payload: view }));
  }
  if (state.status === RoomPhase.Reveal) {
    const reveal = revealView(state);
    const mine = playerRevealView(state, playerId);
    if (reveal)
      effects.push(emit(toPlayer(playerId), { event: "round:revealed", payload: reveal }));
    if (mine) effects.push(emit(toPlayer(playerId), { event: "round:result", payload: mine }));
  }
  return effects;
}
