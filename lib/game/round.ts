// A round: start (shuffle, ids, deadline), answers (one per item and player, on time), reveal.
import { ErrorCode } from "../protocol/codes";
import { IMAGE_PIXELS } from "../gan/dataset";
import type { Effect, GameEvent, PreparedItem } from "./events";
import { shuffled } from "./random";
import { policeVerdict, scoreAnswer, scorePoliceAnswer } from "./scoring";
import {
  ANSWER_GRACE_MS,
  RoomPhase,
  activePlayers,
  answerOf,
  answersTo,
  truthVerdict,
  type AnswerRecord,
  type GameState,
  type ItemId,
  type ItemRecord,
  type ItemState,
  type PlayerId,
  type PlayerState,
  type PoliceAnswer,
  type RoundId,
  type RoundState,
} from "./state";
import { extendStatsSeries, humanVerdicts } from "./stats";
import { leaderboard, playerRevealView, revealView, roundStartedView } from "./views";
import {
  ack,
  emit,
  newId,
  reject,
  roomStateEmits,
  toPlayer,
  STATS_ITERATIONS,
  type ReduceContext,
  type Transition,
} from "./transition";

/** A copy of `arr` with `value` at `index`, padding any gap with `fill` (keeps arrays packed). */
function setAt<T>(arr: readonly T[], index: number, value: T, fill: T): T[] {
  const out = arr.slice();
  while (out.length < index) out.push(fill);
  out[index] = value;
  return out;
}

/** Every seat's streak at the start of a round. */
function seatStreaks(state: GameState): number[] {
  const streaks = new Array<number>(Object.keys(state.players).length).fill(0);
  for (const p of Object.values(state.players)) streaks[p.seat] = p.streak;
  return streaks;
}

function countActive(state: GameState): number {
  let n = 0;
  for (const p of Object.values(state.players)) if (!p.kicked) n++;
  return n;
}

function validItem(item: PreparedItem): boolean {
  const p = item.dProbability;
  return (
    item.image instanceof Uint8Array &&
    item.image.length === IMAGE_PIXELS &&
    (item.kind === "real" || item.kind === "fake") &&
    (p === null || (Number.isFinite(p) && p >= 0 && p <= 1))
  );
}

export function startRound(
  state: GameState,
  e: Extract<GameEvent, { type: "start-round" }>,
  ctx: ReduceContext,
): Transition {
  if (state.status === RoomPhase.Ended) return reject(state, ErrorCode.RoomEnded);
  if (state.status === RoomPhase.Round) return reject(state, ErrorCode.RoundInProgress);
  if (e.items.length !== state.settings.roundSize || !e.items.every(validItem)) {
    return reject(state, ErrorCode.BadPayload);
  }
  if (!(Number.isInteger(e.generatorStep) && e.generatorStep >= 0))
    return reject(state, ErrorCode.BadPayload);
  // Shuffle first, then draw ids, so neither the order nor the ids depend on the kind.
  const order = shuffled(e.items, ctx.rng);
  const ids = new Set<string>();
  const items: ItemState[] = order.map((item, position) => {
    const id = newId(ctx, (id) => ids.has(id)) as ItemId;
    ids.add(id);
    return {
      id,
      position,
      kind: item.kind,
      // Copied so a caller reusing its buffer cannot change a stored image.
      image: item.image.slice(),
      dProbability: item.dProbability,
      datasetIndex: item.datasetIndex,
      generatorStep: item.generatorStep,
    };
  });
  const roundId = newId(ctx, (id) => id === state.round?.id) as RoundId;
  const round: RoundState = {
    id: roundId,
    index: state.roundsPlayed,
    generatorStep: e.generatorStep,
    startedAt: ctx.now,
    deadline: ctx.now + state.settings.roundSeconds * 1000,
    items,
    answers: items.map(() => []),
    streaks: seatStreaks(state),
    answerCount: 0,
    revealedAt: null,
    police: {},
  };
  const next: GameState = {
    ...state,
    status: RoomPhase.Round,
    round,
    roundsPlayed: state.roundsPlayed + 1,
  };
  return {
    state: next,
    effects: [
      {
        type: "persist",
        write: {
          kind: "round-started",
          roomId: state.roomId,
          round: {
            id: round.id,
            index: round.index,
            generatorStep: round.generatorStep,
            startedAt: round.startedAt,
            deadline: round.deadline,
          },
          items: items.map((i) => ({ ...i })),
        },
      },
      ack({ kind: "round-started", roundId, deadline: round.deadline }),
      emit({ kind: "room" }, { event: "round:started", payload: roundStartedView(round, ctx.now) }),
      ...roomStateEmits(next, ctx.now),
      { type: "schedule-reveal", roundId, at: round.deadline + ANSWER_GRACE_MS },
    ],
  };
}

export function answer(
  state: GameState,
  e: Extract<GameEvent, { type: "answer" }>,
  ctx: ReduceContext,
): Transition {
  const player = state.players[e.playerId];
  if (!player) return reject(state, ErrorCode.NotJoined);
  if (player.kicked) return reject(state, ErrorCode.Kicked);
  const round = state.round;
  if (round === null) return reject(state, ErrorCode.NoRound);
  if (e.roundId !== round.id)
    return reject(state, round.revealedAt === null ? ErrorCode.WrongRound : ErrorCode.NoRound);
  const item = round.items.find((i) => i.id === e.itemId);
  if (!item) return reject(state, ErrorCode.UnknownItem);
  const previous = answerOf(round, item.position, player.seat);
  if (previous) {
    // A client retry after a lost ack is acknowledged again; a change of mind is refused.
    if (previous.verdict !== e.verdict) return reject(state, ErrorCode.AlreadyAnswered);
    return {
      state,
      effects: [
        ack({
          kind: "answered",
          roundId: round.id,
          itemId: item.id,
          verdict: e.verdict,
          duplicate: true,
        }),
      ],
    };
  }
  if (round.revealedAt !== null) return reject(state, ErrorCode.NoRound);
  if (ctx.now > round.deadline + ANSWER_GRACE_MS) return reject(state, ErrorCode.TooLate);

  const latencyMs = Math.max(0, Math.round(ctx.now - round.startedAt));
  const scored = scoreAnswer({
    correct: e.verdict === truthVerdict(item.kind),
    latencyMs,
    roundMs: round.deadline - round.startedAt,
    streakBefore: round.streaks[player.seat] ?? player.streak,
  });
  const record: AnswerRecord = {
    playerId: player.id,
    verdict: e.verdict,
    correct: scored.correct,
    latencyMs,
    points: scored.points,
    at: ctx.now,
  };
  const answers = round.answers.slice();
  answers[item.position] = setAt(round.answers[item.position] ?? [], player.seat, record, null);
  const nextRound: RoundState = {
    ...round,
    answers,
    streaks: setAt(round.streaks, player.seat, scored.streakAfter, 0),
    answerCount: round.answerCount + 1,
  };
  const next: GameState = { ...state, round: nextRound };
  return {
    state: next,
    effects: [
      {
        type: "persist",
        write: {
          kind: "answer",
          answer: { roundId: round.id, itemId: item.id, ...record },
        },
      },
      ack({
        kind: "answered",
        roundId: round.id,
        itemId: item.id,
        verdict: e.verdict,
        duplicate: false,
      }),
      emit(
        { kind: "host" },
        {
          event: "round:progress",
          payload: {
            roundId: round.id,
            answers: nextRound.answerCount,
            expected: countActive(next) * round.items.length,
          },
        },
        "round:progress",
      ),
    ],
  };
}

/** Scores the police, banks the round's points, records the round for the statistics. */
export function revealRound(state: GameState, round: RoundState, ctx: ReduceContext): Transition {
  const items = round.items;
  const police: Record<ItemId, PoliceAnswer> = {};
  let policeStreak = state.police.streak;
  let policePoints = 0;
  for (const item of items) {
    if (item.dProbability === null) {
      policeStreak = 0; // D did not judge this image: like a student's missed answer.
      continue;
    }
    const verdict = policeVerdict(item.dProbability);
    const scored = scorePoliceAnswer({
      correct: verdict === truthVerdict(item.kind),
      streakBefore: policeStreak,
    });
    police[item.id] = { verdict, correct: scored.correct, points: scored.points };
    policeStreak = scored.streakAfter;
    policePoints += scored.points;
  }

  const players: Record<PlayerId, PlayerState> = { ...state.players };
  const banked: { id: PlayerId; score: number; streak: number }[] = [];
  for (const p of activePlayers(state)) {
    let points = 0;
    let answered = 0;
    for (const item of items) {
      const a = answerOf(round, item.position, p.seat);
      if (!a) continue;
      points += a.points;
      answered++;
    }
    // An image left unanswered breaks the run of consecutive correct answers.
    const streak = answered < items.length ? 0 : (round.streaks[p.seat] ?? p.streak);
    players[p.id] = { ...p, score: p.score + points, streak };
    banked.push({ id: p.id, score: p.score + points, streak });
  }

  // Every accepted answer counts in the statistics and the critic's data, also a student's kicked
  // later: the verdict was given in good faith, and a restart could not tell when the kick came.
  const record = {
    roundId: round.id,
    index: round.index,
    generatorStep: round.generatorStep,
    items: items.map((item): ItemRecord => {
      let saidReal = 0;
      let saidFake = 0;
      for (const a of answersTo(round, item.position)) {
        if (a.verdict === "real") saidReal++;
        else saidFake++;
      }
      return {
        itemId: item.id,
        kind: item.kind,
        dProbability: item.dProbability,
        saidReal,
        saidFake,
      };
    }),
  };
  const history = [...state.history, record];
  const revealed: RoundState = { ...round, revealedAt: ctx.now, police };
  const next: GameState = {
    ...state,
    status: RoomPhase.Reveal,
    players,
    police: { score: state.police.score + policePoints, streak: policeStreak },
    round: revealed,
    history,
    stats: extendStatsSeries(state.stats, history, record, {
      rng: ctx.rng,
      iterations: ctx.statsIterations ?? STATS_ITERATIONS,
    }),
  };

  const board = leaderboard(next);
  const effects: Effect[] = [
    {
      type: "persist",
      write: {
        kind: "round-revealed",
        roundId: round.id,
        revealedAt: ctx.now,
        players: banked,
        police: next.police,
      },
    },
  ];
  const view = revealView(next);
  if (view) effects.push(emit({ kind: "room" }, { event: "round:revealed", payload: view }));
  for (const p of activePlayers(next)) {
    if (!p.connected) continue; // a returning player gets it on rejoin
    const mine = playerRevealView(next, p.id, board);
    if (mine) effects.push(emit(toPlayer(p.id), { event: "round:result", payload: mine }));
  }
  const byId = new Map(items.map((i) => [i.id as string, i]));
  effects.push(
    emit(
      { kind: "host" },
      {
        event: "critic:data",
        payload: {
          roundId: round.id,
          generatorStep: round.generatorStep,
          items: humanVerdicts(revealed).map((v) => {
            const item = byId.get(v.itemId)!;
            return { ...v, kind: item.kind, image: item.image };
          }),
        },
      },
    ),
    emit({ kind: "host" }, { event: "stats:update", payload: next.stats }),
    ...roomStateEmits(next, ctx.now),
  );
  return { state: next, effects };
}

export function reveal(
  state: GameState,
  e: Extract<GameEvent, { type: "reveal" }>,
  ctx: ReduceContext,
): Transition {
  const round = state.round;
  if (round === null) return reject(state, ErrorCode.NoRound);
  // A timer for an earlier round, or a second reveal, changes nothing.
  if ((e.roundId !== undefined && e.roundId !== round.id) || round.revealedAt !== null) {
    return { state, effects: [ack({ kind: "revealed", roundId: round.id, already: true })] };
  }
  const t = revealRound(state, round, ctx);
  return {
    state: t.state,
    effects: [
      ...t.effects.slice(0, 1),
      ack({ kind: "revealed", roundId: round.id, already: false }),
      ...t.effects.slice(1),
    ],
  };
}
