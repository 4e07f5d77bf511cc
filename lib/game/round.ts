// A round: start (shuffle, ids, deadline) and answers (one per item and player, on time).
import { ErrorCode } from "../protocol/codes";
import { IMAGE_PIXELS } from "../gan/dataset";
import type { Effect, GameEvent, PreparedItem } from "./events";
import { shuffled } from "./random";
import { scoreAnswer } from "./scoring";
import {
  ANSWER_GRACE_MS,
  RoomPhase,
  answerOf,
  truthVerdict,
  type AnswerRecord,
  type GameState,
  type ItemId,
  type ItemState,
  type PlayerId,
  type RoundId,
  type RoundState,
} from "./state";
import { roundStartedView } from "./views";
import { authorsIn } from "./forge";
import {
  ack,
  emit,
  newId,
  reject,
  roomStateEmits,
  type ReduceContext,
  type Transition,
  toPlayer,
  roomWrite,
} from "./transition";

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

// Counted once per players record (answers never replace it), not once per answer: with 2,000
// students the per-answer count was the answer path's largest cost.
const activeCounts = new WeakMap<GameState["players"], number>();
function countActive(state: GameState): number {
  const cached = activeCounts.get(state.players);
  if (cached !== undefined) return cached;
  let n = 0;
  for (const p of Object.values(state.players)) if (!p.kicked) n++;
  activeCounts.set(state.players, n);
  return n;
}

/** Answers expected if every active student labels every item they were sent. */
function expectedAnswers(state: GameState, round: RoundState): number {
  let own = 0;
  for (const item of round.items) {
    const author = item.authorId == null ? undefined : state.players[item.authorId];
    if (author && !author.kicked) own++;
  }
  return countActive(state) * round.items.length - own;
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
  // A forgery enters once, as a fake, by its author's id as the state knows it.
  const pending = new Map(state.forgeries.map((f) => [f.id, f]));
  const used = new Set<string>();
  for (const item of e.items) {
    if (item.forgeryId == null) continue;
    if (!pending.has(item.forgeryId) || used.has(item.forgeryId) || item.kind !== "fake")
      return reject(state, ErrorCode.BadPayload);
    used.add(item.forgeryId);
  }
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
      authorId: item.forgeryId ? (pending.get(item.forgeryId)?.authorId ?? null) : null,
      forgeryId: item.forgeryId ?? null,
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
    forgeries: state.forgeries.filter((f) => !used.has(f.id)),
    // The round closes the forge; the next one forges with a fresh snapshot.
    forge: { open: false, step: null },
  };
  // Everyone gets one broadcast, but a forger gets the round without their own forgery.
  const authors = authorsIn(next, round);
  const ownRounds: Effect[] = authors.map((playerId: PlayerId) =>
    emit(toPlayer(playerId), {
      event: "round:started",
      payload: roundStartedView(round, ctx.now, playerId),
    }),
  );
  const forgeChanged = state.forge.open || state.forge.step !== null;
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
          items: items.map(({ authorId: _author, ...i }) => ({ ...i })),
        },
      },
      ...(forgeChanged ? [roomWrite(next, ctx.now)] : []),
      ack({ kind: "round-started", roundId, deadline: round.deadline }),
      emit(authors.length > 0 ? { kind: "room", except: authors } : { kind: "room" }, {
        event: "round:started",
        payload: roundStartedView(round, ctx.now),
      }),
      ...ownRounds,
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
  // A forger never judges their own forgery (it was never sent to them).
  if (!item || item.authorId === player.id) return reject(state, ErrorCode.UnknownItem);
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
            expected: expectedAnswers(next, round),
          },
        },
        "round:progress",
      ),
    ],
  };
}
