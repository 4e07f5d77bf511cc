// The reveal: D's verdicts scored, the round's points banked, the truth and statistics sent.
import { ErrorCode } from "../protocol/codes";
import type { Effect, GameEvent } from "./events";
import { policeAnswers } from "./scoring";
import { forgePointsByAuthor } from "./forge-rules";
import {
  RoomPhase,
  activePlayers,
  answerOf,
  answersTo,
  itemRecord,
  type GameState,
  type PlayerId,
  type PlayerState,
  type RoundState,
} from "./state";
import { extendStatsSeries, humanVerdicts } from "./stats";
import { leaderboard, playerRevealView, revealView } from "./views";
import {
  ack,
  emit,
  reject,
  roomStateEmits,
  toPlayer,
  STATS_ITERATIONS,
  type ReduceContext,
  type Transition,
} from "./transition";

export function revealRound(state: GameState, round: RoundState, ctx: ReduceContext): Transition {
  const items = round.items;
  const {
    answers: police,
    streak: policeStreak,
    points: policePoints,
  } = policeAnswers(items, state.police.streak);

  const players: Record<PlayerId, PlayerState> = { ...state.players };
  const banked: { id: PlayerId; score: number; streak: number }[] = [];
  const forged = forgePointsByAuthor(round);
  for (const p of activePlayers(state)) {
    // A forger's classmates fooled count like correct answers; streaks are about answers only.
    let points = forged.get(p.id) ?? 0;
    let answered = 0;
    let own = 0;
    for (const item of items) {
      if (item.authorId === p.id) own++;
      const a = answerOf(round, item.position, p.seat);
      if (!a) continue;
      points += a.points;
      answered++;
    }
    // An image left unanswered breaks the run of consecutive correct answers.
    const streak = answered < items.length - own ? 0 : (round.streaks[p.seat] ?? p.streak);
    players[p.id] = { ...p, score: p.score + points, streak };
    banked.push({ id: p.id, score: p.score + points, streak });
  }

  // Every accepted answer counts in the statistics and the critic's data, also a student's kicked
  // later: the verdict was given in good faith, and a restart could not tell when the kick came.
  const record = {
    roundId: round.id,
    index: round.index,
    generatorStep: round.generatorStep,
    items: items.map((item) => itemRecord(item, answersTo(round, item.position))),
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
