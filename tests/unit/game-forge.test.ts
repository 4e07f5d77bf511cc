// Students as counterfeiters in the reducer: the forge phase, submissions, a round that mixes
// forgeries in without showing one to its author, points for fooling, and a restart.
import { describe, expect, it } from "vitest";
import {
  POINTS_PER_FOOLED,
  reduce,
  restoreGameState,
  resultOf,
  seededRng,
  type GameState,
  type PlayerId,
  type PreparedItem,
  type StoredRoom,
  type Write,
} from "./game-test-api";
import {
  T0,
  ctxAt,
  emits,
  image,
  ok,
  payloadOf,
  persists,
  preparedItems,
  roomWithPlayers,
  serialise,
} from "./game-fixtures";

const STEP = 40;

function forge(state: GameState, playerId: PlayerId, seed: number, now = T0 + 1000) {
  return reduce(
    state,
    {
      type: "forge-submit",
      playerId,
      step: STEP,
      noise: Float32Array.from({ length: 8 }, (_, i) => (i - 4) / 4),
      image: image(900 + seed),
      suspicion: 0.25,
    },
    ctxAt(now, seededRng(seed)),
  );
}

/** Round items with every pending forgery among the fakes. */
function itemsWith(state: GameState): PreparedItem[] {
  const items = preparedItems(state.settings.roundSize);
  let k = 0;
  return items.map((item) => {
    const f = item.kind === "fake" ? state.forgeries[k] : undefined;
    if (!f) return item;
    k++;
    return { ...item, image: f.image, generatorStep: f.step, forgeryId: f.id };
  });
}

describe("the forge in the reducer", () => {
  it("opens the forge only with a snapshot, and never during a round", () => {
    const { state, ids } = roomWithPlayers(2);
    expect(resultOf(reduce(state, { type: "forge", open: true }, ctxAt(T0)).effects)).toEqual({
      ok: false,
      code: "NO_GENERATOR",
    });
    const open = ok(state, { type: "forge", open: true, step: STEP }, ctxAt(T0)).state;
    expect(open.forge).toEqual({ open: true, step: STEP });
    const running = ok(
      open,
      { type: "start-round", generatorStep: 50, items: preparedItems(10) },
      ctxAt(T0 + 10),
    ).state;
    // The round closes the forge and unpins its snapshot.
    expect(running.forge).toEqual({ open: false, step: null });
    expect(
      resultOf(reduce(running, { type: "forge", open: true, step: 60 }, ctxAt(T0 + 20)).effects),
    ).toMatchObject({ ok: false, code: "ROUND_IN_PROGRESS" });
    expect(resultOf(forge(running, ids[0]!, 1).effects)).toMatchObject({
      ok: false,
      code: "FORGE_CLOSED",
    });
  });

  it("takes one forgery per student drawn with the pinned snapshot; a new one replaces it", () => {
    const { state: lobby, ids } = roomWithPlayers(3);
    // A vector drawn with no pinned snapshot (or another one) is stale.
    expect(resultOf(forge(lobby, ids[0]!, 1).effects)).toMatchObject({ code: "STALE_SNAPSHOT" });
    const pinned = ok(lobby, { type: "forge-pin", step: STEP }, ctxAt(T0)).state;
    // A second pin keeps the first: everyone forges with one generator.
    expect(ok(pinned, { type: "forge-pin", step: STEP + 5 }, ctxAt(T0)).state.forge.step).toBe(
      STEP,
    );
    const first = forge(pinned, ids[0]!, 1);
    const r1 = resultOf(first.effects);
    expect(r1).toMatchObject({ ok: true, data: { kind: "forged", replaced: false, step: STEP } });
    const write = persists(first.effects)[0]!.write as Extract<
      Write,
      { kind: "forgery-submitted" }
    >;
    expect(write.kind).toBe("forgery-submitted");
    expect(write.forgery.noise.byteLength).toBe(8 * 4);
    expect(write.replaces).toBeNull();
    const second = forge(first.state, ids[0]!, 2);
    expect(resultOf(second.effects)).toMatchObject({ ok: true, data: { replaced: true } });
    const w2 = persists(second.effects)[0]!.write as Extract<Write, { kind: "forgery-submitted" }>;
    expect(w2.replaces).toBe(first.state.forgeries[0]!.id);
    expect(second.state.forgeries).toHaveLength(1);
    expect(second.state.forgeries[0]!.image).toEqual(image(902));
    // The room's state tells everyone how many forgeries wait, and nothing about them.
    const room = payloadOf(second.effects, "room:state")!;
    expect(room.forge).toEqual({ open: false, step: STEP, submitted: 1 });
    expect(Object.keys(room.forge!).sort()).toEqual(["open", "step", "submitted"]);
    // Kicked students forge no more.
    const kicked = ok(second.state, { type: "kick", playerId: ids[1]! }, ctxAt(T0 + 2)).state;
    expect(resultOf(forge(kicked, ids[1]!, 3).effects)).toMatchObject({ code: "KICKED" });
  });

  it("sends a forger the round without their forgery and refuses their answer to it", () => {
    const { state: lobby, ids } = roomWithPlayers(3);
    let state = ok(lobby, { type: "forge-pin", step: STEP }, ctxAt(T0)).state;
    state = ok(state, forgeEvent(ids[0]!, 1), ctxAt(T0 + 1)).state;
    state = ok(state, forgeEvent(ids[1]!, 2), ctxAt(T0 + 2)).state;
    const t = ok(
      state,
      { type: "start-round", generatorStep: 50, items: itemsWith(state) },
      ctxAt(T0 + 100),
    );
    const round = t.state.round!;
    const forged = round.items.filter((i) => i.authorId);
    expect(forged.map((i) => i.authorId).sort()).toEqual([ids[0], ids[1]].sort());
    expect(t.state.forgeries).toEqual([]);

    const started = emits(t.effects).filter((e) => e.message.event === "round:started");
    const broadcast = started.find((e) => e.to.kind === "room")!;
    expect(broadcast.to).toEqual({
      kind: "room",
      except: expect.arrayContaining([ids[0], ids[1]]),
    });
    const itemsOf = (e: (typeof started)[number]) =>
      (e.message.payload as unknown as { items: { itemId: string }[] }).items.map((i) => i.itemId);
    expect(itemsOf(broadcast)).toHaveLength(10);
    for (const k of [0, 1]) {
      const own = started.find((e) => e.to.kind === "player" && e.to.playerId === ids[k])!;
      const mine = forged.find((i) => i.authorId === ids[k])!.id;
      expect(itemsOf(own)).toHaveLength(9);
      expect(itemsOf(own)).not.toContain(mine);
      // The other forger's forgery is an ordinary item to them.
      expect(itemsOf(own)).toContain(forged.find((i) => i.authorId !== ids[k])!.id);
      expect(serialise(own.message.payload)).not.toMatch(/author|forg/i);
      expect(
        resultOf(
          reduce(
            t.state,
            { type: "answer", playerId: ids[k]!, roundId: round.id, itemId: mine, verdict: "fake" },
            ctxAt(T0 + 200),
          ).effects,
        ),
      ).toEqual({ ok: false, code: "UNKNOWN_ITEM" });
    }
    expect(serialise(broadcast.message.payload)).not.toMatch(/author|forg/i);
    // Progress expects every item from everyone but the forgers' own.
    const progress = payloadOf(
      ok(
        t.state,
        {
          type: "answer",
          playerId: ids[2]!,
          roundId: round.id,
          itemId: forged[0]!.id,
          verdict: "real",
        },
        ctxAt(T0 + 300),
      ).effects,
      "round:progress",
    )!;
    expect(progress.expected).toBe(3 * 10 - 2);
  });

  it("pays the forger per classmate fooled, shows author, fooled count and the police's verdict", () => {
    const { state: lobby, ids } = roomWithPlayers(4);
    let state = ok(lobby, { type: "forge-pin", step: STEP }, ctxAt(T0)).state;
    state = ok(state, forgeEvent(ids[0]!, 1), ctxAt(T0 + 1)).state;
    const items = itemsWith(state).map((i) => (i.forgeryId ? { ...i, dProbability: 0.9 } : i));
    let t = ok(state, { type: "start-round", generatorStep: 50, items }, ctxAt(T0 + 100));
    const round = t.state.round!;
    const forgery = round.items.find((i) => i.authorId === ids[0])!;
    // Students 1 and 2 are fooled (say real), 3 is not; student 0 answers nothing.
    const verdicts = { 1: "real", 2: "real", 3: "fake" } as const;
    for (const [k, verdict] of Object.entries(verdicts)) {
      t = ok(
        t.state,
        {
          type: "answer",
          playerId: ids[Number(k)]!,
          roundId: round.id,
          itemId: forgery.id,
          verdict,
        },
        ctxAt(T0 + 200),
      );
    }
    t = ok(t.state, { type: "reveal", by: "host" }, ctxAt(T0 + 1000));
    const after = t.state;
    expect(after.players[ids[0]!]!.score).toBe(2 * POINTS_PER_FOOLED);
    expect(after.players[ids[3]!]!.score).toBeGreaterThan(0); // caught it: a correct answer

    const reveal = payloadOf(t.effects, "round:revealed")!;
    const shown = reveal.items.find((i) => i.itemId === forgery.id)!;
    expect(shown.truth).toBe("fake");
    expect(shown.forgery).toMatchObject({
      authorId: ids[0],
      nickname: "Student 0",
      fooled: 2,
      judged: 3,
      policeFooled: true,
      points: 2 * POINTS_PER_FOOLED,
    });
    expect(reveal.items.filter((i) => i.forgery).length).toBe(1);
    const forger = reveal.players.find((p) => p.playerId === ids[0])!;
    expect(forger).toMatchObject({ roundPoints: 100, forgePoints: 100, answered: 0 });
    expect(reveal.leaderboard.find((e) => e.playerId === ids[0])!.fooled).toBe(2);

    const mine = emits(t.effects).find(
      (e) =>
        e.message.event === "round:result" && e.to.kind === "player" && e.to.playerId === ids[0],
    )!.message.payload as unknown as {
      items: { itemId: string }[];
      forgeries: { itemId: string; fooled: number; image: Uint8Array }[];
      roundPoints: number;
    };
    expect(mine.items.map((i) => i.itemId)).not.toContain(forgery.id);
    expect(mine.forgeries).toMatchObject([{ itemId: forgery.id, fooled: 2 }]);
    expect(mine.forgeries[0]!.image).toEqual(forgery.image);
    expect(mine.roundPoints).toBe(100);
    // The critic learns from forgeries like any other fake.
    const critic = payloadOf(t.effects, "critic:data")!;
    expect(critic.items.find((i) => i.itemId === forgery.id)).toMatchObject({
      kind: "fake",
      realFraction: 2 / 3,
      n: 3,
    });
    // History keeps the author: the "best counterfeiter" column survives later rounds.
    expect(after.history.at(-1)!.items.find((i) => i.itemId === forgery.id)!.authorId).toBe(ids[0]);
  });

  it("restores pending and played forgeries and the forge after a restart", () => {
    const { state: lobby, ids } = roomWithPlayers(3);
    const writes: Write[] = [];
    const apply = (s: GameState, e: Parameters<typeof reduce>[1], now: number) => {
      const t = ok(s, e, ctxAt(now, seededRng(now)));
      writes.push(...persists(t.effects).map((p) => p.write));
      return t.state;
    };
    let state = apply(lobby, { type: "forge", open: true, step: STEP }, T0);
    state = apply(state, forgeEvent(ids[0]!, 1), T0 + 1);
    state = apply(
      state,
      { type: "start-round", generatorStep: 50, items: itemsWith(state) },
      T0 + 2,
    );
    const round = state.round!;
    const forgery = round.items.find((i) => i.authorId)!;
    state = apply(
      state,
      { type: "answer", playerId: ids[1]!, roundId: round.id, itemId: forgery.id, verdict: "real" },
      T0 + 3,
    );
    state = apply(state, { type: "reveal", by: "host" }, T0 + 4);
    state = apply(state, { type: "forge-pin", step: STEP + 10 }, T0 + 5);
    state = apply(state, forgeEvent(ids[2]!, 2, STEP + 10), T0 + 6);

    const stored = toyStore(lobby, writes);
    const { state: back } = restoreGameState(stored, seededRng(1), { statsIterations: 10 });
    expect(back.forgeries.map((f) => [f.authorId, f.step])).toEqual([[ids[2], STEP + 10]]);
    expect(back.forge).toEqual(state.forge);
    expect(back.round!.items.find((i) => i.id === forgery.id)!.authorId).toBe(ids[0]);
    expect(back.history).toEqual(state.history);
    expect(back.players[ids[0]!]!.score).toBe(POINTS_PER_FOOLED);
  });
});

function forgeEvent(playerId: PlayerId, seed: number, step = STEP) {
  return {
    type: "forge-submit" as const,
    playerId,
    step,
    noise: Float32Array.from({ length: 8 }, (_, i) => (i - seed) / 8),
    image: image(900 + seed),
    suspicion: 0.25,
  };
}

/** The rows the writes leave in the database, as the repository reads them back. */
function toyStore(base: GameState, writes: readonly Write[]): StoredRoom {
  let room: StoredRoom["room"] = {
    id: base.roomId,
    code: base.code,
    status: base.status,
    locked: base.locked,
    settings: base.settings,
    createdAt: base.createdAt,
  };
  const players = new Map(
    Object.values(base.players).map((p) => [
      p.id as string,
      { ...p, score: 0, streak: 0, kicked: false } as StoredRoom["players"][number],
    ]),
  );
  const rounds = new Map<
    string,
    StoredRoom["rounds"][number] & { answers: StoredRoom["rounds"][number]["answers"][number][] }
  >();
  const forgeries = new Map<string, NonNullable<StoredRoom["forgeries"]>[number]>();
  for (const w of writes) {
    switch (w.kind) {
      case "room":
        room = {
          ...room,
          status: w.status,
          locked: w.locked,
          ...(w.forge ? { forge: w.forge } : {}),
        };
        break;
      case "forgery-submitted":
        if (w.replaces) forgeries.delete(w.replaces);
        forgeries.set(w.forgery.id, {
          id: w.forgery.id,
          playerId: w.forgery.playerId,
          step: w.forgery.step,
          image: w.forgery.image,
          suspicion: w.forgery.suspicion,
          submittedAt: w.forgery.at,
        });
        break;
      case "round-started":
        rounds.set(w.round.id, {
          ...w.round,
          revealedAt: null,
          items: w.items.map((i) => ({ ...i })),
          answers: [],
        });
        break;
      case "answer":
        rounds.get(w.answer.roundId)!.answers.push({ ...w.answer });
        break;
      case "round-revealed":
        rounds.set(w.roundId, { ...rounds.get(w.roundId)!, revealedAt: w.revealedAt });
        for (const p of w.players)
          players.set(p.id, { ...players.get(p.id)!, score: p.score, streak: p.streak });
        break;
      default:
        break;
    }
  }
  return {
    room,
    players: [...players.values()],
    rounds: [...rounds.values()],
    forgeries: [...forgeries.values()],
  };
}
