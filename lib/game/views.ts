// Pure builders of what each audience receives. Before the reveal nothing here may carry an
// item's kind, D's probability, the dataset index, correctness or this round's points.
import type { PlayerSummary, RoomState, Verdict } from "../protocol/schemas";
import {
  POLICE_ID,
  POLICE_NICKNAME,
  RoomPhase,
  activePlayers,
  answerOf,
  answersTo,
  truthVerdict,
  type GameState,
  type ItemId,
  type PlayerId,
  type RoundId,
  type RoundState,
} from "./state";
import {
  forgePointsByAuthor,
  forgeryOutcomes,
  fooledTotals,
  type ForgeryOutcome,
} from "./forge-rules";

export type { ForgeryOutcome } from "./forge-rules";

export interface RoundStartedView {
  readonly roundId: RoundId;
  readonly index: number;
  readonly deadline: number;
  readonly serverNow: number;
  readonly items: readonly { readonly itemId: ItemId; readonly image: Uint8Array }[];
}

export interface PlayerRoundView extends RoundStartedView {
  /** The player's own verdicts so far (a reconnect restores its buttons). */
  readonly answered: readonly { readonly itemId: ItemId; readonly verdict: Verdict }[];
  readonly revealed: boolean;
}

export interface LeaderboardEntry {
  readonly rank: number;
  readonly playerId: PlayerId;
  readonly nickname: string;
  readonly score: number;
  readonly isPolice: boolean;
  /** Classmates fooled by the player's forgeries, all rounds: the "best counterfeiter" column. */
  readonly fooled: number;
}

export interface RevealItemView {
  readonly itemId: ItemId;
  readonly position: number;
  readonly truth: Verdict;
  readonly dProbability: number | null;
  readonly dVerdict: Verdict | null;
  /** Share of students' answers that said real; null when nobody answered. */
  readonly realFraction: number | null;
  readonly answers: number;
  /** A student's forgery: its author and whom it fooled. */
  readonly forgery: ForgeryOutcome | null;
}

export interface RevealPlayerView {
  readonly playerId: PlayerId;
  readonly nickname: string;
  readonly isPolice: boolean;
  readonly roundPoints: number;
  readonly score: number;
  readonly correct: number;
  readonly answered: number;
  /** Of roundPoints, those earned by forgeries that fooled classmates. */
  readonly forgePoints: number;
}

export interface RevealView {
  readonly roundId: RoundId;
  readonly index: number;
  readonly generatorStep: number;
  readonly items: readonly RevealItemView[];
  readonly players: readonly RevealPlayerView[];
  readonly leaderboard: readonly LeaderboardEntry[];
  /** Share of the class's answers that were correct; null when nobody answered. */
  readonly classAccuracy: number | null;
  /** Share of the police's verdicts that were correct; null when D judged nothing. */
  readonly policeAccuracy: number | null;
}

export interface PlayerRevealView {
  readonly roundId: RoundId;
  readonly items: readonly {
    readonly itemId: ItemId;
    readonly truth: Verdict;
    readonly verdict: Verdict | null;
    readonly correct: boolean;
    readonly points: number;
  }[];
  readonly roundPoints: number;
  readonly score: number;
  readonly streak: number;
  /** The player's own forgeries in this round (not among `items`: they never judged them). */
  readonly forgeries: readonly (ForgeryOutcome & {
    readonly image: Uint8Array;
    /** The forgery this item played (what forge:submit answered with). */
    readonly forgeryId: string | null;
  })[];
  readonly rank: number;
  /** Entries on the leaderboard, the police included. */
  readonly of: number;
}

/** A student's forgery that no round has played yet (the server keeps their latest). */
export interface WaitingForgery {
  readonly forgeryId: string;
  readonly step: number;
  readonly image: Uint8Array;
  /** P(real) by the same snapshot's discriminator. */
  readonly suspicion: number | null;
}

/** A player's forgery that no round has played yet, or null. */
export function waitingForgeryOf(state: GameState, playerId: PlayerId): WaitingForgery | null {
  const f = state.forgeries.find((x) => x.authorId === playerId);
  return f ? { forgeryId: f.id, step: f.step, image: f.image, suspicion: f.suspicion } : null;
}

export interface RoomStateViewOptions {
  /** Cap on listed players (highest scores first) for broadcasts to a large class. */
  readonly maxPlayers?: number;
}

/** Sorted by score (desc); equal scores share a rank ("1, 2, 2, 4"). */
export function leaderboard(state: GameState): LeaderboardEntry[] {
  const fooled = fooledTotals(state);
  const rows = activePlayers(state).map((p) => ({
    playerId: p.id,
    nickname: p.nickname,
    score: p.score,
    isPolice: false,
    fooled: fooled.get(p.id) ?? 0,
  }));
  rows.push({
    playerId: POLICE_ID,
    nickname: POLICE_NICKNAME,
    score: state.police.score,
    isPolice: true,
    fooled: 0,
  });
  // Stable sort keeps join order (police last) among equal scores.
  rows.sort((a, b) => b.score - a.score);
  let rank = 0;
  return rows.map((r, i) => {
    if (i === 0 || rows[i - 1]!.score !== r.score) rank = i + 1;
    return { rank, ...r };
  });
}

export function roomStateView(
  state: GameState,
  now: number,
  opts: RoomStateViewOptions = {},
): RoomState {
  const police: PlayerSummary = {
    id: POLICE_ID,
    nickname: POLICE_NICKNAME,
    score: state.police.score,
    connected: state.trainer.hasGenerator,
    isPolice: true,
  };
  let players: PlayerSummary[] = activePlayers(state).map((p) => ({
    id: p.id,
    nickname: p.nickname,
    score: p.score,
    connected: p.connected,
    isPolice: false,
  }));
  if (opts.maxPlayers !== undefined && players.length > opts.maxPlayers) {
    players = players
      .slice()
      .sort((a, b) => b.score - a.score)
      .slice(0, opts.maxPlayers);
  }
  const round = state.round;
  const showRound =
    round !== null && (state.status === RoomPhase.Round || state.status === RoomPhase.Reveal);
  return {
    code: state.code,
    status: state.status,
    locked: state.locked,
    settings: state.settings,
    players: [...players, police],
    round: showRound
      ? {
          roundId: round.id,
          index: round.index,
          deadline: round.deadline,
          itemCount: round.items.length,
          answers: round.answerCount,
        }
      : null,
    trainer: { ...state.trainer },
    forge: { ...state.forge, submitted: state.forgeries.length },
    serverNow: now,
  };
}

/** The round's images; for `viewer`, without their own forgeries. */
export function roundStartedView(
  round: RoundState,
  now: number,
  viewer?: PlayerId,
): RoundStartedView {
  const items = viewer ? round.items.filter((i) => i.authorId !== viewer) : round.items;
  return {
    roundId: round.id,
    index: round.index,
    deadline: round.deadline,
    serverNow: now,
    items: items.map((item) => ({ itemId: item.id, image: item.image })),
  };
}

/** The round as a (re)connecting player sees it: images and their own verdicts, no truth. */
export function playerRoundView(
  state: GameState,
  playerId: PlayerId,
  now: number,
): PlayerRoundView | null {
  const round = state.round;
  if (round === null) return null;
  const answered: { itemId: ItemId; verdict: Verdict }[] = [];
  const player = state.players[playerId];
  if (!player) return null;
  for (const item of round.items) {
    const a = answerOf(round, item.position, player.seat);
    if (a) answered.push({ itemId: item.id, verdict: a.verdict });
  }
  return {
    ...roundStartedView(round, now, playerId),
    answered,
    revealed: round.revealedAt !== null,
  };
}

function roundPointsOf(
  round: RoundState,
  seat: number,
): { points: number; correct: number; answered: number } {
  let points = 0;
  let correct = 0;
  let answered = 0;
  for (const item of round.items) {
    const a = answerOf(round, item.position, seat);
    if (!a) continue;
    answered++;
    points += a.points;
    if (a.correct) correct++;
  }
  return { points, correct, answered };
}

/** The reveal for the whole room; null unless the current round has been revealed. */
export function revealView(state: GameState): RevealView | null {
  const round = state.round;
  if (round === null || round.revealedAt === null) return null;
  const active = activePlayers(state);
  const forgeries = new Map(forgeryOutcomes(state, round).map((f) => [f.itemId, f]));
  const forged = forgePointsByAuthor(round);
  let classAnswers = 0;
  let classCorrect = 0;
  let policeJudged = 0;
  let policeCorrect = 0;
  const items = round.items.map((item): RevealItemView => {
    let real = 0;
    let n = 0;
    for (const a of answersTo(round, item.position)) {
      n++;
      if (a.verdict === "real") real++;
      if (a.correct) classCorrect++;
    }
    classAnswers += n;
    const police = round.police[item.id];
    if (police) {
      policeJudged++;
      if (police.correct) policeCorrect++;
    }
    return {
      itemId: item.id,
      position: item.position,
      truth: truthVerdict(item.kind),
      dProbability: item.dProbability,
      dVerdict: police?.verdict ?? null,
      realFraction: n > 0 ? real / n : null,
      answers: n,
      forgery: forgeries.get(item.id) ?? null,
    };
  });
  let policePoints = 0;
  for (const item of round.items) policePoints += round.police[item.id]?.points ?? 0;
  const players: RevealPlayerView[] = active.map((p) => {
    const r = roundPointsOf(round, p.seat);
    const forgePoints = forged.get(p.id) ?? 0;
    return {
      playerId: p.id,
      nickname: p.nickname,
      isPolice: false,
      roundPoints: r.points + forgePoints,
      score: p.score,
      correct: r.correct,
      answered: r.answered,
      forgePoints,
    };
  });
  players.push({
    playerId: POLICE_ID,
    nickname: POLICE_NICKNAME,
    isPolice: true,
    roundPoints: policePoints,
    score: state.police.score,
    correct: policeCorrect,
    answered: policeJudged,
    forgePoints: 0,
  });
  return {
    roundId: round.id,
    index: round.index,
    generatorStep: round.generatorStep,
    items,
    players,
    leaderboard: leaderboard(state),
    classAccuracy: classAnswers > 0 ? classCorrect / classAnswers : null,
    policeAccuracy: policeJudged > 0 ? policeCorrect / policeJudged : null,
  };
}

// A board is built once per reveal and read once per player: index it once, not per player.
const boardIndex = new WeakMap<readonly LeaderboardEntry[], Map<string, LeaderboardEntry>>();
function entryOf(board: readonly LeaderboardEntry[], playerId: string) {
  let index = boardIndex.get(board);
  if (!index) {
    index = new Map(board.map((e) => [e.playerId, e]));
    boardIndex.set(board, index);
  }
  return index.get(playerId);
}

/**
 * One player's reveal: their verdicts, points, streak and rank. Pass `board` (from
 * `leaderboard(state)`) when building it for many players, to sort once.
 */
export function playerRevealView(
  state: GameState,
  playerId: PlayerId,
  board: readonly LeaderboardEntry[] = leaderboard(state),
): PlayerRevealView | null {
  const round = state.round;
  const player = state.players[playerId];
  if (round === null || round.revealedAt === null || !player || player.kicked) return null;
  const own = round.items.filter((i) => i.authorId === playerId);
  const items = round.items
    .filter((i) => i.authorId !== playerId)
    .map((item) => {
      const a = answerOf(round, item.position, player.seat);
      return {
        itemId: item.id,
        truth: truthVerdict(item.kind),
        verdict: a?.verdict ?? null,
        correct: a?.correct ?? false,
        points: a?.points ?? 0,
      };
    });
  const entry = entryOf(board, playerId);
  const outcomes = own.length > 0 ? forgeryOutcomes(state, round) : [];
  const forgeries = own.map((item) => ({
    ...outcomes.find((o) => o.itemId === item.id)!,
    image: item.image,
    forgeryId: item.forgeryId ?? null,
  }));
  return {
    roundId: round.id,
    items,
    roundPoints:
      roundPointsOf(round, player.seat).points + forgeries.reduce((n, f) => n + f.points, 0),
    score: player.score,
    streak: player.streak,
    forgeries,
    rank: entry?.rank ?? board.length,
    of: board.length,
  };
}

/** Leaderboard rows a phone receives at the reveal (besides the police and the student). */
export const PHONE_BOARD = 10;

/**
 * The room's reveal as phones receive it: every item, the class and police figures, the top `top`
 * leaderboard rows, the police and the student's own row (the phone shows the top few and "me"),
 * and only the listed players' round points. The whole class's rows (2,000 students: about
 * 0.5 MB) go to the projector alone; every phone getting them was the reveal's main cost.
 * Returns one builder for the whole class: each call costs O(top), not O(class).
 */
export function phoneRevealViews(
  view: RevealView,
  top = PHONE_BOARD,
): (playerId: string | null) => RevealView {
  const board = view.leaderboard;
  const rowOf = new Map<string, number>();
  board.forEach((e, i) => rowOf.set(e.playerId, i));
  const seatOf = new Map<string, number>();
  view.players.forEach((p, i) => seatOf.set(p.playerId, i));
  const shared = (e: LeaderboardEntry, i: number) => i < top || e.isPolice;
  const headRows = board.flatMap((e, i) => (shared(e, i) ? [i] : []));
  const pick = (rows: number[]): RevealView => {
    const leaderboard = rows.map((i) => board[i]!);
    const seats = leaderboard
      .map((e) => seatOf.get(e.playerId))
      .filter((i): i is number => i !== undefined)
      .sort((a, b) => a - b);
    return { ...view, leaderboard, players: seats.map((i) => view.players[i]!) };
  };
  const head = pick(headRows);
  return (playerId) => {
    const mine = playerId === null ? undefined : rowOf.get(playerId);
    if (mine === undefined || shared(board[mine]!, mine)) return head;
    return pick([...headRows, mine].sort((a, b) => a - b));
  };
}

/** One phone's reveal (see phoneRevealViews; use that for a whole class). */
export function phoneRevealView(
  view: RevealView,
  playerId: string | null,
  top = PHONE_BOARD,
): RevealView {
  return phoneRevealViews(view, top)(playerId);
}
