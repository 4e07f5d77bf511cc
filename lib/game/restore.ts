// Rebuilds a room's GameState from stored rows after a server restart, so that every
// acknowledged answer is back in play: the same seats, scores, streaks and round.
import type { RoomSettings, Verdict } from "../protocol/schemas";
import type { PreparedItem } from "./events";
import type { Rng } from "./random";
import { policeAnswers } from "./scoring";
import {
  RoomPhase,
  itemRecord,
  type AnswerRecord,
  type ForgeStatus,
  type ForgeryState,
  type GameState,
  type ItemId,
  type ItemState,
  type PlayerId,
  type PlayerState,
  type RoundId,
  type RoundRecord,
  type RoundState,
  type TrainerStatus,
} from "./state";
import { statsSeries } from "./stats";
import { ANSWER_GRACE_MS } from "./state";

export interface StoredRound {
  readonly id: string;
  readonly index: number;
  readonly generatorStep: number;
  readonly startedAt: number;
  readonly deadline: number;
  readonly revealedAt: number | null;
  readonly items: readonly (PreparedItem & { readonly id: string; readonly position: number })[];
  readonly answers: readonly {
    readonly itemId: string;
    readonly playerId: string;
    readonly verdict: Verdict;
    readonly correct: boolean;
    readonly latencyMs: number;
    readonly points: number;
    readonly at: number;
  }[];
}

export interface StoredRoom {
  readonly room: {
    readonly id: string;
    readonly code: string;
    readonly status: RoomPhase;
    readonly locked: boolean;
    readonly settings: RoomSettings;
    readonly createdAt: number;
    readonly forge?: ForgeStatus;
  };
  /** Player rows: score and streak as of the last reveal (answers do not update them). */
  readonly players: readonly {
    readonly id: string;
    readonly nickname: string;
    readonly seatTokenHash: string;
    readonly score: number;
    readonly streak: number;
    readonly kicked: boolean;
    readonly joinedAt: number;
  }[];
  /** Every round of the room, any order. */
  readonly rounds: readonly StoredRound[];
  readonly trainer?: TrainerStatus;
  /** Every forgery of the room; those no item refers to are still waiting for a round. */
  readonly forgeries?: readonly {
    readonly id: string;
    readonly playerId: string;
    readonly step: number;
    readonly image: Uint8Array;
    readonly suspicion: number | null;
    readonly submittedAt: number;
  }[];
}

export interface Restored {
  readonly state: GameState;
  /** When to dispatch the deadline reveal of a round that was running (may be in the past). */
  readonly revealAt: { readonly roundId: RoundId; readonly at: number } | null;
}

/**
 * Streaks in a running round: each banked streak carried through the player's answers of the
 * round in the order they were given (by time; rows with equal times keep their stored order).
 */
function runningStreaks(
  banked: readonly number[],
  rows: readonly { readonly seat: number; readonly correct: boolean; readonly at: number }[],
): number[] {
  const streaks = banked.slice();
  const ordered = rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => x.row.at - y.row.at || x.i - y.i);
  for (const { row } of ordered) streaks[row.seat] = row.correct ? streaks[row.seat]! + 1 : 0;
  return streaks;
}

/**
 * Seats are reassigned in join order (ties by id); any consistent assignment works because the
 * answer arrays are rebuilt with it. The police's score is replayed from the revealed rounds.
 * Statistics are recomputed with `rng`.
 */
export function restoreGameState(
  stored: StoredRoom,
  rng: Rng,
  opts: { statsIterations?: number } = {},
): Restored {
  const sortedPlayers = stored.players
    .slice()
    .sort((a, b) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const players: Record<PlayerId, PlayerState> = {};
  sortedPlayers.forEach((p, seat) => {
    players[p.id as PlayerId] = {
      id: p.id as PlayerId,
      seat,
      nickname: p.nickname,
      seatTokenHash: p.seatTokenHash,
      score: p.score,
      streak: p.streak,
      kicked: p.kicked,
      connected: false,
      joinedAt: p.joinedAt,
    };
  });

  const banked = sortedPlayers.map((p) => p.streak);
  const forgeries = stored.forgeries ?? [];
  const authorOf = new Map(forgeries.map((f) => [f.id, f.playerId as PlayerId]));
  const played = new Set<string>();
  const rounds = stored.rounds.slice().sort((a, b) => a.index - b.index);
  let police = { score: 0, streak: 0 };
  const history: RoundRecord[] = [];
  let current: RoundState | null = null;
  for (const r of rounds) {
    const items: ItemState[] = r.items
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((i, position) => {
        const forgeryId = i.forgeryId ?? null;
        if (forgeryId) played.add(forgeryId);
        return {
          ...i,
          id: i.id as ItemId,
          position,
          forgeryId,
          authorId: forgeryId ? (authorOf.get(forgeryId) ?? null) : null,
        };
      });
    const positionOf = new Map<string, number>(items.map((i) => [i.id, i.position]));
    const answers: (AnswerRecord | null)[][] = items.map(() =>
      new Array(sortedPlayers.length).fill(null),
    );
    let answerCount = 0;
    const given: { seat: number; correct: boolean; at: number }[] = [];
    for (const a of r.answers) {
      const position = positionOf.get(a.itemId);
      const player = players[a.playerId as PlayerId];
      if (position === undefined || !player) continue;
      answers[position]![player.seat] = {
        playerId: player.id,
        verdict: a.verdict,
        correct: a.correct,
        latencyMs: a.latencyMs,
        points: a.points,
        at: a.at,
      };
      answerCount++;
      given.push({ seat: player.seat, correct: a.correct, at: a.at });
    }
    const revealed = r.revealedAt !== null;
    const replay = revealed ? policeAnswers(items, police.streak) : null;
    if (replay) police = { score: police.score + replay.points, streak: replay.streak };
    if (revealed) {
      history.push({
        roundId: r.id as RoundId,
        index: r.index,
        generatorStep: r.generatorStep,
        items: items.map((item) => itemRecord(item, answers[item.position]!)),
      });
    }
    current = {
      id: r.id as RoundId,
      index: r.index,
      generatorStep: r.generatorStep,
      startedAt: r.startedAt,
      deadline: r.deadline,
      items,
      answers,
      streaks: revealed ? banked : runningStreaks(banked, given),
      answerCount,
      revealedAt: r.revealedAt,
      police: replay?.answers ?? {},
    };
  }

  const running = current !== null && current.revealedAt === null;
  const status: RoomPhase =
    stored.room.status === RoomPhase.Ended
      ? RoomPhase.Ended
      : running
        ? RoomPhase.Round
        : current !== null
          ? RoomPhase.Reveal
          : RoomPhase.Lobby;
  const state: GameState = {
    roomId: stored.room.id,
    code: stored.room.code,
    status,
    locked: stored.room.locked,
    settings: stored.room.settings,
    players,
    police,
    roundsPlayed: rounds.length === 0 ? 0 : rounds[rounds.length - 1]!.index + 1,
    round: current,
    history,
    stats: statsSeries(history, { rng, iterations: opts.statsIterations }),
    trainer: stored.trainer ?? { connected: false, step: 0, hasGenerator: false },
    forgeries: forgeries
      .filter((f) => !played.has(f.id) && Object.hasOwn(players, f.playerId))
      .sort((a, b) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((f): ForgeryState => ({
        id: f.id,
        authorId: f.playerId as PlayerId,
        step: f.step,
        image: f.image,
        suspicion: f.suspicion,
        submittedAt: f.submittedAt,
      })),
    // A running round has closed the forge whatever the row says.
    forge: running
      ? { open: false, step: null }
      : (stored.room.forge ?? { open: false, step: null }),
    createdAt: stored.room.createdAt,
  };
  return {
    state,
    revealAt:
      running && status !== RoomPhase.Ended
        ? { roundId: current!.id, at: current!.deadline + ANSWER_GRACE_MS }
        : null,
  };
}
