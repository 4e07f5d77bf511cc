// The room's state: plain, immutable data. The reducer returns new objects and never mutates.
import { DEFAULT_ROOM_SETTINGS, type RoomSettings, type Verdict } from "../protocol/schemas";
import type { StatsSeries } from "./stats";

type Brand<T, B extends string> = T & { readonly __brand: B };
export type PlayerId = Brand<string, "PlayerId">;
export type RoundId = Brand<string, "RoundId">;
export type ItemId = Brand<string, "ItemId">;

export const RoomPhase = {
  Lobby: "lobby",
  Round: "round",
  Reveal: "reveal",
  Ended: "ended",
} as const;
export type RoomPhase = (typeof RoomPhase)[keyof typeof RoomPhase];

export const ItemKind = { Real: "real", Fake: "fake" } as const;
export type ItemKind = (typeof ItemKind)[keyof typeof ItemKind];

/** The discriminator plays as a player with this id; no student can have it (ids are random). */
export const POLICE_ID = "police" as PlayerId;
export const POLICE_NICKNAME = "The Police (D)";

/** Answers this long after the deadline still count: network and event-loop delay, not cheating. */
export const ANSWER_GRACE_MS = 250;
/** A lecture hall, not only a classroom: RELIABILITY.md targets 2,000 students in one room. */
export const MAX_PLAYERS = 2500;

export interface PlayerState {
  readonly id: PlayerId;
  /** 0, 1, 2… in join order: the player's index into a round's answer and streak arrays. */
  readonly seat: number;
  readonly nickname: string;
  readonly seatTokenHash: string;
  /** Points of revealed rounds only: a score that moved mid-round would leak the truth. */
  readonly score: number;
  /** Consecutive correct answers, in the order the player gave them. */
  readonly streak: number;
  readonly kicked: boolean;
  readonly connected: boolean;
  readonly joinedAt: number;
}

export interface ItemState {
  readonly id: ItemId;
  /** Order on screen (0-based), after the shuffle. */
  readonly position: number;
  readonly kind: ItemKind;
  /** 28×28 8-bit grayscale, row-major (IMAGE_PIXELS bytes). */
  readonly image: Uint8Array;
  /** D's probability that the image is real, computed by the server; null when no D exists. */
  readonly dProbability: number | null;
  /** Index into the digit dataset for real items. */
  readonly datasetIndex: number | null;
  /** Generator step that drew a fake. */
  readonly generatorStep: number | null;
  /** A student's forgery: its author (who never sees it) and the forgery it came from. */
  readonly authorId?: PlayerId | null;
  readonly forgeryId?: string | null;
}

/** A forgery waiting for a round: drawn by the server from the student's noise vector. */
export interface ForgeryState {
  readonly id: string;
  readonly authorId: PlayerId;
  /** Snapshot (generator step) that drew it. */
  readonly step: number;
  readonly image: Uint8Array;
  /** P(real) by the same snapshot's discriminator when it was submitted. */
  readonly suspicion: number | null;
  readonly submittedAt: number;
}

/** The forge: the teacher's phase, and the snapshot students forge with. */
export interface ForgeStatus {
  readonly open: boolean;
  /** Step of the pinned snapshot; null until someone needs one (re-pinned after each round). */
  readonly step: number | null;
}

export interface AnswerRecord {
  readonly playerId: PlayerId;
  readonly verdict: Verdict;
  readonly correct: boolean;
  /** Server clock: time of receipt − round start. */
  readonly latencyMs: number;
  readonly points: number;
  readonly at: number;
}

export interface PoliceAnswer {
  readonly verdict: Verdict;
  readonly correct: boolean;
  readonly points: number;
}

export interface RoundState {
  readonly id: RoundId;
  readonly index: number;
  readonly generatorStep: number;
  readonly startedAt: number;
  readonly deadline: number;
  /** In position order: items[i].position === i. */
  readonly items: readonly ItemState[];
  /**
   * answers[position][seat]: at most one per item and player. Arrays indexed by seat, not
   * records keyed by id, so an answer copies a few hundred slots instead of rehashing a
   * 500-key object (≈ 20× faster for a full class).
   */
  readonly answers: readonly (readonly (AnswerRecord | null)[])[];
  /** Streaks by seat, as of the round's start and updated per answer; banked at the reveal. */
  readonly streaks: readonly number[];
  readonly answerCount: number;
  readonly revealedAt: number | null;
  /** D's answers, filled in at the reveal (items with no D probability have none). */
  readonly police: Readonly<Record<ItemId, PoliceAnswer>>;
}

/** What statistics need from a revealed round; kept for every round of the session. */
export interface RoundRecord {
  readonly roundId: RoundId;
  readonly index: number;
  readonly generatorStep: number;
  readonly items: readonly ItemRecord[];
}

export interface ItemRecord {
  readonly itemId: ItemId;
  readonly kind: ItemKind;
  readonly dProbability: number | null;
  /** The forger, for a student's forgery. */
  readonly authorId?: PlayerId | null;
  /** Students who said real / fake (every accepted answer). */
  readonly saidReal: number;
  readonly saidFake: number;
}

export interface TrainerStatus {
  readonly connected: boolean;
  readonly step: number;
  readonly hasGenerator: boolean;
}

export interface GameState {
  readonly roomId: string;
  readonly code: string;
  readonly status: RoomPhase;
  readonly locked: boolean;
  readonly settings: RoomSettings;
  readonly players: Readonly<Record<PlayerId, PlayerState>>;
  readonly police: { readonly score: number; readonly streak: number };
  /** Rounds started so far; the next round's index. */
  readonly roundsPlayed: number;
  /** The current round, or the last one once revealed. */
  readonly round: RoundState | null;
  readonly history: readonly RoundRecord[];
  /** Human vs police per round and per generator step, extended at every reveal. */
  readonly stats: StatsSeries;
  readonly trainer: TrainerStatus;
  /** Forgeries submitted and not yet played, oldest first (at most one per student). */
  readonly forgeries: readonly ForgeryState[];
  readonly forge: ForgeStatus;
  readonly createdAt: number;
}

export function createGameState(init: {
  roomId: string;
  code: string;
  now: number;
  settings?: Partial<RoomSettings>;
}): GameState {
  return {
    roomId: init.roomId,
    code: init.code,
    status: RoomPhase.Lobby,
    locked: false,
    settings: { ...DEFAULT_ROOM_SETTINGS, ...init.settings },
    players: {},
    police: { score: 0, streak: 0 },
    roundsPlayed: 0,
    round: null,
    history: [],
    stats: { byRound: [], byStep: [] },
    trainer: { connected: false, step: 0, hasGenerator: false },
    forgeries: [],
    forge: { open: false, step: null },
    createdAt: init.now,
  };
}

/** Case- and accent-form-insensitive key for nickname uniqueness. */
export function nicknameKey(nickname: string): string {
  return nickname.normalize("NFKC").toLocaleLowerCase("en").replace(/\s+/g, " ").trim();
}

export function truthVerdict(kind: ItemKind): Verdict {
  return kind === ItemKind.Real ? "real" : "fake";
}

export function answerOf(round: RoundState, position: number, seat: number): AnswerRecord | null {
  return round.answers[position]?.[seat] ?? null;
}

/** The answers given to the item at `position`. */
export function answersTo(round: RoundState, position: number): AnswerRecord[] {
  return (round.answers[position] ?? []).filter((a): a is AnswerRecord => a !== null);
}

/** What the history keeps of a revealed item: D's view, the forger, and the class's tally. */
export function itemRecord(
  item: Pick<ItemState, "id" | "kind" | "dProbability" | "authorId">,
  answers: readonly (AnswerRecord | null)[],
): ItemRecord {
  let saidReal = 0;
  let saidFake = 0;
  for (const a of answers) {
    if (!a) continue;
    if (a.verdict === "real") saidReal++;
    else saidFake++;
  }
  return {
    itemId: item.id,
    kind: item.kind,
    dProbability: item.dProbability,
    authorId: item.authorId ?? null,
    saidReal,
    saidFake,
  };
}

/** Players who take part (not kicked), in join order. */
export function activePlayers(state: GameState): PlayerState[] {
  return Object.values(state.players)
    .filter((p) => !p.kicked)
    .sort((a, b) => a.seat - b.seat);
}
