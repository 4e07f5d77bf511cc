// What goes into the reducer (events) and what comes out (effects for the server to execute).
import type { ErrorCode } from "../protocol/codes";
import type { RoomSettings, RoomState, Verdict } from "../protocol/schemas";
import type { ItemKind, ItemId, PlayerId, RoundId } from "./state";
import type { StatsSeries } from "./stats";
import type { PlayerRevealView, PlayerRoundView, RevealView, RoundStartedView } from "./views";

/** An item the server prepared for a round: a real digit or a generator's fake, D already run. */
export interface PreparedItem {
  readonly kind: ItemKind;
  readonly image: Uint8Array;
  readonly dProbability: number | null;
  readonly datasetIndex: number | null;
  readonly generatorStep: number | null;
  /** A pending forgery of the room (its author comes from the state, not from here). */
  readonly forgeryId?: string | null;
}

export type GameEvent =
  | { readonly type: "player-join"; readonly nickname: string; readonly seatTokenHash: string }
  | { readonly type: "player-connection"; readonly playerId: PlayerId; readonly connected: boolean }
  | { readonly type: "settings"; readonly settings: Partial<RoomSettings> }
  | { readonly type: "lock"; readonly locked: boolean }
  | { readonly type: "kick"; readonly playerId: PlayerId }
  | {
      readonly type: "trainer";
      readonly connected?: boolean;
      readonly step?: number;
      readonly hasGenerator?: boolean;
    }
  | {
      readonly type: "start-round";
      readonly generatorStep: number;
      readonly items: readonly PreparedItem[];
    }
  | {
      readonly type: "answer";
      readonly playerId: PlayerId;
      /** As received from the wire; checked against the state. */
      readonly roundId: string;
      readonly itemId: string;
      readonly verdict: Verdict;
    }
  /** From the host (no roundId: the current round) or the deadline timer (its round's id). */
  | { readonly type: "reveal"; readonly roundId?: string; readonly by: "host" | "timer" }
  | { readonly type: "end" }
  /** The teacher opens or closes the forge phase; `step` pins a snapshot if none is pinned. */
  | { readonly type: "forge"; readonly open: boolean; readonly step?: number }
  /** A student needs the forge's snapshot and none is pinned (or, `force`, its bytes were lost). */
  | { readonly type: "forge-pin"; readonly step: number; readonly force?: boolean }
  /** A forgery the server drew from a student's (already validated) noise vector. */
  | {
      readonly type: "forge-submit";
      readonly playerId: PlayerId;
      readonly step: number;
      readonly noise: Float32Array;
      readonly image: Uint8Array;
      readonly suspicion: number | null;
    };

export type GameEventType = GameEvent["type"];

// ---- effects -----------------------------------------------------------------------------------

export type Audience =
  // everyone: students and host (but the `except` players, who get their own message)
  | { readonly kind: "room"; readonly except?: readonly PlayerId[] }
  | { readonly kind: "players" } // students only
  | { readonly kind: "host" }
  | { readonly kind: "player"; readonly playerId: PlayerId };

export interface RoundProgress {
  readonly roundId: RoundId;
  readonly answers: number;
  /** Answers expected if every active student labels every item. */
  readonly expected: number;
}

/** Training pairs for the human critic: after the reveal only, so the truth may ride along. */
export interface CriticData {
  readonly roundId: RoundId;
  readonly generatorStep: number;
  readonly items: readonly {
    readonly itemId: ItemId;
    readonly kind: ItemKind;
    readonly image: Uint8Array;
    readonly realFraction: number;
    readonly n: number;
  }[];
}

export type ServerMessage =
  | { readonly event: "room:state"; readonly payload: RoomState }
  | { readonly event: "round:started"; readonly payload: RoundStartedView }
  /** A (re)joining player's view of the current round, with their own verdicts. */
  | { readonly event: "round:resume"; readonly payload: PlayerRoundView }
  | { readonly event: "round:progress"; readonly payload: RoundProgress }
  | { readonly event: "round:revealed"; readonly payload: RevealView }
  | { readonly event: "round:result"; readonly payload: PlayerRevealView }
  | { readonly event: "critic:data"; readonly payload: CriticData }
  | { readonly event: "stats:update"; readonly payload: StatsSeries }
  | { readonly event: "player:kicked"; readonly payload: { readonly code: ErrorCode } };

export type ServerMessageEvent = ServerMessage["event"];

/** Rows to write. Applying them in order to the database reproduces the state's durable part. */
export type Write =
  | {
      readonly kind: "room";
      readonly roomId: string;
      readonly status: "lobby" | "round" | "reveal" | "ended";
      readonly locked: boolean;
      readonly settings: RoomSettings;
      readonly endedAt: number | null;
      /** Absent: unchanged. */
      readonly forge?: { readonly open: boolean; readonly step: number | null };
    }
  | {
      readonly kind: "player-created";
      readonly roomId: string;
      readonly player: {
        readonly id: PlayerId;
        readonly nickname: string;
        readonly seatTokenHash: string;
        readonly joinedAt: number;
      };
    }
  | { readonly kind: "player-kicked"; readonly playerId: PlayerId }
  | {
      readonly kind: "round-started";
      readonly roomId: string;
      readonly round: {
        readonly id: RoundId;
        readonly index: number;
        readonly generatorStep: number;
        readonly startedAt: number;
        readonly deadline: number;
      };
      readonly items: readonly (PreparedItem & {
        readonly id: ItemId;
        readonly position: number;
      })[];
    }
  | {
      readonly kind: "forgery-submitted";
      readonly roomId: string;
      readonly forgery: {
        readonly id: string;
        readonly playerId: PlayerId;
        readonly step: number;
        /** float32 little-endian: the vector the image was drawn from, kept for re-rendering. */
        readonly noise: Uint8Array;
        readonly image: Uint8Array;
        readonly suspicion: number | null;
        readonly at: number;
      };
      /** The author's earlier forgery, not yet played, that this one replaces. */
      readonly replaces: string | null;
    }
  | {
      readonly kind: "answer";
      readonly answer: {
        readonly roundId: RoundId;
        readonly itemId: ItemId;
        readonly playerId: PlayerId;
        readonly verdict: Verdict;
        readonly correct: boolean;
        readonly latencyMs: number;
        readonly points: number;
        readonly at: number;
      };
    }
  | {
      readonly kind: "round-revealed";
      readonly roundId: RoundId;
      readonly revealedAt: number;
      readonly players: readonly {
        readonly id: PlayerId;
        readonly score: number;
        readonly streak: number;
      }[];
      readonly police: { readonly score: number; readonly streak: number };
    };

export type AckData =
  | {
      readonly kind: "joined";
      readonly playerId: PlayerId;
      readonly nickname: string;
      readonly returning: boolean;
    }
  | {
      readonly kind: "answered";
      readonly roundId: RoundId;
      readonly itemId: ItemId;
      readonly verdict: Verdict;
      /** A retry of an answer already stored: nothing new was written. */
      readonly duplicate: boolean;
    }
  | { readonly kind: "round-started"; readonly roundId: RoundId; readonly deadline: number }
  | { readonly kind: "revealed"; readonly roundId: RoundId; readonly already: boolean }
  | {
      readonly kind: "forged";
      readonly forgeryId: string;
      readonly step: number;
      readonly replaced: boolean;
    }
  | { readonly kind: "done" };

export type GameResult =
  { readonly ok: true; readonly data: AckData } | { readonly ok: false; readonly code: ErrorCode };

export type Effect =
  /** Write rows. Commit before executing any later ack or emit (see reducer.ts). */
  | { readonly type: "persist"; readonly write: Write }
  /** The reply to the event's sender; exactly one per event. */
  | { readonly type: "ack"; readonly result: GameResult }
  /**
   * Send a message. With `coalesce`, the server may send only the newest message of that key to
   * that audience per flush interval (progress and lobby updates for a large class).
   */
  | {
      readonly type: "emit";
      readonly to: Audience;
      readonly message: ServerMessage;
      readonly coalesce?: string;
    }
  /** Dispatch `{ type: "reveal", roundId, by: "timer" }` at `at` (server clock). */
  | { readonly type: "schedule-reveal"; readonly roundId: RoundId; readonly at: number }
  /** Close the player's connections (after emitting to them). */
  | { readonly type: "disconnect"; readonly playerId: PlayerId; readonly code: ErrorCode };

export type EffectType = Effect["type"];
