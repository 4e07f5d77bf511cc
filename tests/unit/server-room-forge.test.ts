// Forging over real sockets and SQLite: the server draws each forgery from the student's noise
// vector with the pinned snapshot, refuses malformed vectors with their own codes, mixes the
// forgeries into the next round without sending one to its author, and pays for fooling.
import { describe, expect, it } from "vitest";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { encodeNoise, NOISE_LIMIT, POINTS_PER_FOOLED } from "@/lib/game/forge-rules";
import { PROTOCOL_VERSION } from "@/lib/protocol";
import { tensorToBytes } from "@/lib/gan/images";
import { createGanFromSnapshot, decodeSnapshot } from "@/lib/gan/snapshot";
import { dispose, generate } from "@/lib/gan/train";
import { createRng, normalArray } from "@/lib/gan/rng";
import { joinRoom, nextMessage, openRoom, type Student } from "../../scripts/bench/fault-room";
import { harnessPerTest } from "./server-harness";

const harness = harnessPerTest();

/** What the snapshot's generator draws from z, computed here independently of the server. */
async function drawLocally(snapshot: Uint8Array, z: Float32Array): Promise<Uint8Array> {
  await tf.setBackend("cpu");
  const gan = createGanFromSnapshot(decodeSnapshot(snapshot));
  const input = tf.tensor2d(z, [1, z.length]);
  const out = generate(gan, input);
  const bytes = await tensorToBytes(out);
  tf.dispose([input, out]);
  dispose(gan);
  return bytes;
}

describe("forging with real sockets", () => {
  it("re-renders vectors, mixes forgeries into the next round unseen by their authors, and pays for fooling", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 10, roundSeconds: 60 });
    const [ada, bob, cy] = (await Promise.all(
      ["Ada", "Bob", "Cy"].map(async (n) => joinRoom(await h.client(), auth.code, n)),
    )) as [Student, Student, Student];

    // Nobody forges before the forge has a snapshot for them; then everyone gets the same one.
    // A student cannot open the forge for the class.
    const forged = { code: auth.code, hostToken: ada.seatToken as never };
    expect(await ada.socket.emitWithAck("host:forge", { ...forged, open: true })).toMatchObject({
      ok: false,
      code: "NOT_HOST",
    });
    const opened = new Promise<void>((resolve) =>
      ada.socket.on("room:state", (room) => {
        if (room.forge?.open) resolve();
      }),
    );
    const open = await host.emitWithAck("host:forge", { ...auth, open: true });
    if (!open.ok) throw new Error(open.code);
    expect(open.data.forge).toMatchObject({ open: true, submitted: 0 });
    const step = open.data.forge!.step!;
    await opened; // the phones are told: they show the forge
    const snap = await h.rooms.forgeSnapshot(auth.code, ada.seatToken);
    expect(snap?.step).toBe(step);
    expect(await h.rooms.forgeSnapshot(auth.code, "not-a-seat-token-at-all")).toBeNull();
    const latentDim = decodeSnapshot(snap!.weights).config.latentDim;

    // Malformed vectors, each with its own code; nothing stored.
    const good = normalArray(latentDim, createRng(1));
    const send = (s: Student, noise: unknown, at = step) =>
      s.socket.emitWithAck("forge:submit", { step: at, noise } as never);
    expect(await send(ada, encodeNoise(good.slice(1)))).toMatchObject({ code: "NOISE_LENGTH" });
    expect(await send(ada, encodeNoise(good).slice(1))).toMatchObject({ code: "NOISE_LENGTH" });
    const nan = good.slice();
    nan[3] = NaN;
    expect(await send(ada, encodeNoise(nan))).toMatchObject({ code: "NOISE_NOT_FINITE" });
    const huge = good.slice();
    huge[0] = NOISE_LIMIT * 1000;
    expect(await send(ada, encodeNoise(huge))).toMatchObject({ code: "NOISE_OUT_OF_RANGE" });
    expect(await send(ada, encodeNoise(good), step + 1)).toMatchObject({ code: "STALE_SNAPSHOT" });
    expect(await send(ada, Array.from(good))).toMatchObject({ code: "BAD_PAYLOAD" });
    expect(await h.db.forgery.count()).toBe(0);

    // Two students forge; the images are the server's own drawings of their vectors.
    const zAda = normalArray(latentDim, createRng(11));
    const zBob = normalArray(latentDim, createRng(22));
    const [fa, fb] = await Promise.all([
      send(ada, encodeNoise(zAda)),
      send(bob, encodeNoise(zBob)),
    ]);
    if (!fa.ok || !fb.ok) throw new Error("forge:submit failed");
    const expectedA = await drawLocally(snap!.weights, zAda);
    const diff = Array.from(new Uint8Array(fa.data.image)).map((v, i) =>
      Math.abs(v - expectedA[i]!),
    );
    expect(Math.max(...diff)).toBeLessThanOrEqual(1);
    expect(fa.data.suspicion).toBeGreaterThanOrEqual(0);
    expect(fa.data.suspicion).toBeLessThanOrEqual(1);
    const rows = await h.db.forgery.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.playerId).sort()).toEqual([ada.playerId, bob.playerId].sort());
    expect(rows.find((r) => r.playerId === ada.playerId)!.noise.byteLength).toBe(latentDim * 4);

    // Ada reloads her phone: the join reply brings back the forgery still waiting for a round;
    // Cy, who forged nothing, gets none.
    const rejoin = async (s: Student) => {
      const res = await (
        await h.client()
      ).emitWithAck("room:join", {
        protocolVersion: PROTOCOL_VERSION,
        code: auth.code,
        nickname: s.nickname,
        seatToken: s.seatToken,
      });
      if (!res.ok) throw new Error(res.code);
      return res.data.forgery;
    };
    const back = await rejoin(ada);
    expect(back).toMatchObject({ forgeryId: fa.data.forgeryId, step });
    expect(new Uint8Array(back!.image)).toEqual(new Uint8Array(fa.data.image));
    expect(await rejoin(cy)).toBeNull();

    // The next round: both forgeries are in it; neither author receives their own.
    const started = [ada, bob, cy].map((s) => nextMessage(s.socket, "round:started"));
    const hostStarted = nextMessage(host, "round:started");
    expect((await host.emitWithAck("host:start-round", auth)).ok).toBe(true);
    const [ra, rb, rc] = await Promise.all(started);
    const rh = await hostStarted;
    expect(rc!.items).toHaveLength(10);
    expect(rh.items).toHaveLength(10);
    expect(ra!.items).toHaveLength(9);
    expect(rb!.items).toHaveLength(9);
    const idsOf = (r: typeof ra) => new Set(r!.items.map((i) => i.itemId));
    const adaOwn = [...idsOf(rc)].find((id) => !idsOf(ra).has(id))!;
    const bobOwn = [...idsOf(rc)].find((id) => !idsOf(rb).has(id))!;
    expect(adaOwn).not.toBe(bobOwn);
    expect(idsOf(rb).has(adaOwn)).toBe(true);
    expect(idsOf(ra).has(bobOwn)).toBe(true);
    const image = (id: string) => new Uint8Array(rc!.items.find((i) => i.itemId === id)!.image);
    expect(image(adaOwn)).toEqual(new Uint8Array(fa.data.image));
    expect(image(bobOwn)).toEqual(new Uint8Array(fb.data.image));
    // An author cannot answer their own forgery even knowing its id.
    const own = await ada.socket.emitWithAck("round:answer", {
      roundId: ra!.roundId,
      itemId: adaOwn,
      verdict: "fake",
    });
    expect(own).toMatchObject({ ok: false, code: "UNKNOWN_ITEM" });

    // Cy is fooled by both, Bob by Ada's; Ada catches Bob's.
    const answer = (s: Student, itemId: string, verdict: "real" | "fake") =>
      s.socket.emitWithAck("round:answer", { roundId: rc!.roundId, itemId, verdict });
    expect((await answer(cy, adaOwn, "real")).ok).toBe(true);
    expect((await answer(cy, bobOwn, "real")).ok).toBe(true);
    expect((await answer(bob, adaOwn, "real")).ok).toBe(true);
    expect((await answer(ada, bobOwn, "fake")).ok).toBe(true);
    const revealed = nextMessage(cy.socket, "round:revealed");
    const adaResult = nextMessage(ada.socket, "round:result");
    expect((await host.emitWithAck("host:reveal", auth)).ok).toBe(true);
    const reveal = await revealed;
    const shown = (id: string) => reveal.items.find((i) => i.itemId === id)!.forgery;
    expect(shown(adaOwn)).toMatchObject({ nickname: "Ada", fooled: 2, judged: 2 });
    expect(shown(bobOwn)).toMatchObject({ nickname: "Bob", fooled: 1, judged: 2 });
    expect(typeof shown(adaOwn)!.policeFooled).toBe("boolean");
    const mine = await adaResult;
    expect(mine.forgeries).toMatchObject([
      { itemId: adaOwn, fooled: 2, forgeryId: fa.data.forgeryId },
    ]);
    // Played: nothing waits for Ada any more.
    expect(await rejoin(ada)).toBeNull();
    const players = await h.db.player.findMany();
    const score = (s: Student) => players.find((p) => p.id === s.playerId)!.score;
    // Ada: 2 fooled plus her correct "fake"; Bob: 1 fooled, his "real" on Ada's was wrong.
    const adaAnswer = await h.db.answer.findFirstOrThrow({ where: { playerId: ada.playerId } });
    expect(score(ada)).toBe(2 * POINTS_PER_FOOLED + adaAnswer.points);
    expect(score(bob)).toBe(1 * POINTS_PER_FOOLED);
    expect(reveal.leaderboard.find((e) => e.playerId === ada.playerId)!.fooled).toBe(2);
    // Stored: each forgery is an item of the round.
    const items = await h.db.item.findMany({ where: { forgeryId: { not: null } } });
    expect(items.map((i) => i.id).sort()).toEqual([adaOwn, bobOwn].sort());
  }, 60_000);
});
