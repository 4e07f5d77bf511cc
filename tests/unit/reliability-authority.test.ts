// Authority: the server owns time, seats, host rights and the truth. Late, second and borrowed
// answers and forged host actions are refused; a student's socket carries no truth before the
// reveal, and real and fake images travel as the same kind of payload.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ANSWER_GRACE_MS } from "@/lib/game/state";
import { PROTOCOL_VERSION, type HostToken } from "@/lib/protocol";
import {
  joinRoom,
  nextMessage,
  openRoom,
  startRound,
  type Client,
} from "../../scripts/bench/fault-room";
import { io as connect } from "socket.io-client";
import { roundParser } from "@/app/_lib/socket";
import { harnessPerTest } from "./server-harness";
import { encodeNoise } from "@/lib/game/forge-rules";
import { decodeSnapshot } from "@/lib/gan/snapshot";

const harness = harnessPerTest();

type Frame = { event: string; args: unknown[] };

/** Decoded events, and the raw engine.io packets (text and binary attachments) under them. */
function record(socket: Client): Frame[] & { raw: unknown[] } {
  const frames = Object.assign([] as Frame[], { raw: [] as unknown[] });
  socket.onAny((event: string, ...args: unknown[]) => frames.push({ event, args }));
  socket.io.engine.on("packet", (packet: { type: string; data?: unknown }) => {
    if (packet.type === "message") frames.raw.push(packet.data);
  });
  return frames;
}

/** Every object key anywhere in a value (binary buffers are leaves). */
function keysDeep(value: unknown, out = new Set<string>()): Set<string> {
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return out;
  if (value instanceof ArrayBuffer) return out;
  for (const [k, v] of Object.entries(value)) {
    if (!Array.isArray(value)) out.add(k);
    keysDeep(v, out);
  }
  return out;
}

const TRUTH_KEYS = ["kind", "truth", "dProbability", "datasetIndex", "correct", "points"];

describe("server authority", () => {
  it("accepts an answer up to the deadline plus the grace and refuses it one millisecond later", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 4, roundSeconds: 30 });
    const ada = await joinRoom(await h.client(), auth.code, "Ada");
    const [round] = await startRound(host, auth, [ada.socket]);
    const answer = (k: number) => ({
      roundId: round!.roundId,
      itemId: round!.items[k]!.itemId,
      verdict: "real" as const,
    });
    h.clock.now = round!.deadline + ANSWER_GRACE_MS;
    expect((await ada.socket.emitWithAck("round:answer", answer(0))).ok).toBe(true);
    h.clock.now += 1;
    expect(await ada.socket.emitWithAck("round:answer", answer(1))).toMatchObject({
      ok: false,
      code: "TOO_LATE",
    });
    // A client's own idea of the time is never asked for; an extra field changes nothing.
    const claimed = { ...answer(2), answeredAt: round!.deadline - 5_000, latencyMs: 1 };
    expect(await ada.socket.emitWithAck("round:answer", claimed)).toMatchObject({
      ok: false,
      code: "TOO_LATE",
    });
    expect(await h.db.answer.count()).toBe(1);
  });

  it("refuses second answers and never books an answer on another player's seat", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 4, roundSeconds: 60 });
    const ada = await joinRoom(await h.client(), auth.code, "Ada");
    const bob = await joinRoom(await h.client(), auth.code, "Bob");
    const [round] = await startRound(host, auth, [ada.socket, bob.socket]);
    const item = (k: number) => round!.items[k]!.itemId;

    expect(
      (
        await ada.socket.emitWithAck("round:answer", {
          roundId: round!.roundId,
          itemId: item(0),
          verdict: "real",
        })
      ).ok,
    ).toBe(true);
    expect(
      await ada.socket.emitWithAck("round:answer", {
        roundId: round!.roundId,
        itemId: item(0),
        verdict: "fake",
      }),
    ).toMatchObject({ ok: false, code: "ALREADY_ANSWERED" });

    // Naming Bob in the payload does not make it Bob's answer: the seat comes from the socket.
    const borrowed = {
      roundId: round!.roundId,
      itemId: item(1),
      verdict: "fake",
      playerId: bob.playerId,
    };
    expect((await ada.socket.emitWithAck("round:answer", borrowed as never)).ok).toBe(true);
    // Bob's nickname with a made-up seat token does not give his seat either.
    const impostor = await h.client();
    const taken = await impostor.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code: auth.code,
      nickname: "Bob",
      seatToken: randomBytes(24).toString("base64url"),
    });
    expect(taken).toMatchObject({ ok: false, code: "NICKNAME_TAKEN" });
    // A socket that never joined cannot answer at all.
    expect(
      await impostor.emitWithAck("round:answer", {
        roundId: round!.roundId,
        itemId: item(2),
        verdict: "real",
      }),
    ).toMatchObject({ ok: false, code: "NOT_JOINED" });

    const stored = await h.db.answer.findMany();
    expect(stored.map((a) => a.playerId).sort()).toEqual([ada.playerId, ada.playerId]);
    // Bob can still give his own answer to the item Ada tried to answer for him.
    expect(
      (
        await bob.socket.emitWithAck("round:answer", {
          roundId: round!.roundId,
          itemId: item(1),
          verdict: "real",
        })
      ).ok,
    ).toBe(true);
    expect(await h.db.answer.count({ where: { playerId: bob.playerId } })).toBe(1);
  });

  it("rejects every host action with a forged, foreign or student token and changes nothing", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 4 });
    const other = await openRoom(await h.client(), { roundSize: 4 });
    const ada = await joinRoom(await h.client(), auth.code, "Ada");
    const forgers = [
      "f".repeat(32),
      other.hostToken,
      ada.seatToken,
      auth.hostToken.slice(0, -1) + (auth.hostToken.endsWith("A") ? "B" : "A"),
    ] as HostToken[];
    for (const hostToken of forgers) {
      const forged = { code: auth.code, hostToken };
      const replies = [
        await ada.socket.emitWithAck("host:start-round", forged),
        await ada.socket.emitWithAck("host:reveal", forged),
        await ada.socket.emitWithAck("host:kick", { ...forged, playerId: ada.playerId }),
        await ada.socket.emitWithAck("host:lock", { ...forged, locked: true }),
        await ada.socket.emitWithAck("host:settings", { ...forged, settings: { roundSize: 8 } }),
        await ada.socket.emitWithAck("host:end", forged),
        await ada.socket.emitWithAck("host:resume", {
          ...forged,
          protocolVersion: PROTOCOL_VERSION,
        }),
        await ada.socket.emitWithAck("trainer:fakes", {
          ...forged,
          step: 9,
          images: new Uint8Array(784),
        }),
        await ada.socket.emitWithAck("trainer:metrics", {
          ...forged,
          metrics: [
            {
              step: 1,
              dLoss: 1,
              gLoss: 1,
              dReal: 0.5,
              dFake: 0.5,
              quality: null,
              fid: null,
              lambda: 0,
            },
          ],
        }),
      ];
      for (const r of replies) expect(r).toMatchObject({ ok: false, code: "NOT_HOST" });
    }
    const room = await h.db.room.findUniqueOrThrow({ where: { code: auth.code } });
    expect(room.status).toBe("lobby");
    expect(room.locked).toBe(false);
    expect(JSON.parse(room.settings)).toMatchObject({ roundSize: 4 });
    expect(await h.db.round.count()).toBe(0);
    expect((await h.db.player.findFirstOrThrow({ where: { id: ada.playerId } })).kicked).toBe(
      false,
    );
    expect(await h.db.trainingMetric.count()).toBe(0);
  });

  it("a made-up seat token does not slip a rejected nickname past the filter", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host);
    const socket = await h.client();
    const plain = await socket.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code: auth.code,
      nickname: "shithead",
    });
    expect(plain).toMatchObject({ ok: false, code: "NICKNAME_REJECTED" });
    const withToken = await socket.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code: auth.code,
      nickname: "shithead",
      seatToken: randomBytes(24).toString("base64url"),
    });
    expect(withToken).toMatchObject({ ok: false, code: "NICKNAME_REJECTED" });
    expect(await h.db.player.count()).toBe(0);
  });

  it("a student's socket carries no truth before the reveal, and real and fake images look alike", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 10, roundSeconds: 60 });
    const spySocket = await h.client();
    const frames = record(spySocket);
    const spy = await joinRoom(spySocket, auth.code, "Eve");
    const ada = await joinRoom(await h.client(), auth.code, "Ada");
    // room:state is coalesced (COALESCE_MS): let the one listing both students arrive before the
    // round starts, so the "scores do not move" check below has states to look at.
    for (let waited = 0; ; waited += 20) {
      const listed = frames.some(
        (f) =>
          f.event === "room:state" && (f.args[0] as { players: unknown[] }).players.length >= 2,
      );
      if (listed) break;
      if (waited > 10_000) throw new Error("no room:state listing both students");
      await new Promise((r) => setTimeout(r, 20));
    }
    const [round] = await startRound(host, auth, [spy.socket, ada.socket]);
    // Both answer everything; Eve also reloads mid-round (round:resume) and answers the rest.
    const acks: unknown[] = [];
    for (const [k, item] of round!.items.entries()) {
      const payload = {
        roundId: round!.roundId,
        itemId: item.itemId,
        verdict: k % 2 ? "real" : "fake",
      } as const;
      acks.push(await spy.socket.emitWithAck("round:answer", payload));
      await ada.socket.emitWithAck("round:answer", payload);
    }
    const resumed = nextMessage(spy.socket, "round:resume");
    const again = await h.client();
    const againFrames = record(again);
    await joinRoom(again, auth.code, "Eve", spy.seatToken);
    await resumed.catch(() => undefined);
    const revealed = nextMessage(spy.socket, "round:revealed");
    await host.emitWithAck("host:reveal", auth);
    const reveal = await revealed;

    // On the wire: before the reveal's frame, no text frame names a truth field and every binary
    // attachment is one 784-byte image.
    const rawCut = frames.raw.findIndex(
      (d) => typeof d === "string" && d.includes('"round:revealed"'),
    );
    expect(rawCut).toBeGreaterThan(0);
    const rawBefore = frames.raw.slice(0, rawCut);
    for (const d of rawBefore) {
      if (typeof d === "string")
        expect(d).not.toMatch(/"(kind|truth|dProbability|datasetIndex|correct|points)"/);
      else expect((d as ArrayBufferLike | Uint8Array).byteLength).toBe(784);
    }
    expect(rawBefore.filter((d) => typeof d !== "string").length).toBeGreaterThanOrEqual(10);

    const cut = frames.findIndex((f) => f.event === "round:revealed");
    expect(cut).toBeGreaterThan(0);
    const before = [
      ...frames.slice(0, cut),
      ...againFrames.filter((f) => f.event !== "round:revealed" && f.event !== "round:result"),
    ];
    for (const f of before) {
      const keys = keysDeep(f.args);
      for (const k of TRUTH_KEYS) expect(keys.has(k), `${f.event} carries "${k}"`).toBe(false);
    }
    // Acks say "stored", not "correct".
    for (const a of acks)
      expect(Object.keys((a as { data: object }).data).sort()).toEqual([
        "duplicate",
        "itemId",
        "roundId",
        "verdict",
      ]);
    // Scores do not move during the round (a moving score would leak correctness per answer).
    // Per player: the list itself grows as students join.
    const scores = new Map<string, Set<number>>();
    for (const f of before) {
      if (f.event !== "room:state") continue;
      for (const p of (f.args[0] as { players: { id: string; score: number }[] }).players) {
        const seen = scores.get(p.id) ?? new Set<number>();
        scores.set(p.id, seen.add(p.score));
      }
    }
    expect(scores.size).toBeGreaterThanOrEqual(2);
    for (const [id, seen] of scores) expect([...seen], id).toHaveLength(1);

    // After the reveal the truth is there; before it, real and fake items were the same payload.
    const truth = new Map(reveal.items.map((i) => [i.itemId as string, i.truth]));
    expect(new Set(truth.values())).toEqual(new Set(["real", "fake"]));
    const shapes = { real: new Set<string>(), fake: new Set<string>() };
    const startedFrame = frames.find((f) => f.event === "round:started")!;
    const items = (startedFrame.args[0] as { items: { itemId: string; image: unknown }[] }).items;
    for (const item of items) {
      const image = item.image as Uint8Array;
      const shape = JSON.stringify({
        keys: Object.keys(item).sort(),
        type: Object.prototype.toString.call(image),
        ctor: image.constructor.name,
        length: image.byteLength,
        idLength: item.itemId.length,
      });
      shapes[truth.get(item.itemId)!].add(shape);
    }
    expect(shapes.real.size).toBe(1);
    expect([...shapes.fake]).toEqual([...shapes.real]);
    expect(JSON.parse([...shapes.real][0]!)).toMatchObject({
      keys: ["image", "itemId"],
      length: 784,
    });
  });

  // socket.io-parser ≥ 4.2.7 decodes at most 10 binary attachments per packet by default, and
  // round:started carries one image per item (RoomSettings allows 30): the app's client
  // (app/_lib/socket.ts) raises the decoder's limit. A stock client would drop the connection.
  it("the app's socket client receives a round of 30 items", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 30, roundSeconds: 60 });
    const appClient: Client = connect(h.url, {
      parser: roundParser,
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((resolve) => appClient.once("connect", resolve));
    const ada = await joinRoom(appClient, auth.code, "Ada");
    const dropped = new Promise<never>((_, reject) =>
      ada.socket.io.on("close", (reason: string) => reject(new Error(`client closed: ${reason}`))),
    );
    dropped.catch(() => undefined); // it also fires when the harness stops
    const started = nextMessage(ada.socket, "round:started", 10_000);
    // The host's socket receives the same packet, so its ack may never come: not awaited.
    host.emit("host:start-round", auth, () => undefined);
    const round = await Promise.race([started, dropped]);
    expect(round.items).toHaveLength(30);
    appClient.disconnect();
  });

  it("forgeries: no author, forgery or truth field reaches a phone before the reveal, and no forger ever receives their own", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 10, roundSeconds: 60 });
    const forgerSocket = await h.client();
    const forgerFrames = record(forgerSocket);
    const forger = await joinRoom(forgerSocket, auth.code, "Mallory");
    const judgeSocket = await h.client();
    const judgeFrames = record(judgeSocket);
    const judge = await joinRoom(judgeSocket, auth.code, "Eve");
    const open = await host.emitWithAck("host:forge", { ...auth, open: true });
    if (!open.ok) throw new Error(open.code);
    const snap = await h.rooms.forgeSnapshot(auth.code, forger.seatToken);
    const dim = decodeSnapshot(snap!.weights).config.latentDim;
    const forged = await forger.socket.emitWithAck("forge:submit", {
      step: snap!.step,
      noise: encodeNoise(new Float32Array(dim).fill(0.5)),
    });
    expect(forged.ok).toBe(true);
    const [mine, theirs] = await startRound(host, auth, [forger.socket, judge.socket]);
    expect(theirs!.items).toHaveLength(10);
    const own = theirs!.items.find((i) => !mine!.items.some((m) => m.itemId === i.itemId))!;
    // A reload mid-round resumes the round, still without the forger's own item.
    const again = await h.client();
    const againFrames = record(again);
    const resumed = nextMessage(again, "round:resume");
    await joinRoom(again, auth.code, "Mallory", forger.seatToken);
    expect((await resumed).items.map((i) => i.itemId)).not.toContain(own.itemId);
    const revealed = nextMessage(judge.socket, "round:revealed");
    await host.emitWithAck("host:reveal", auth);
    await revealed;

    for (const frames of [forgerFrames, judgeFrames]) {
      const cut = frames.findIndex((f) => f.event === "round:revealed");
      expect(cut).toBeGreaterThan(0);
      for (const f of frames.slice(0, cut)) {
        const keys = keysDeep(f.args);
        for (const k of [...TRUTH_KEYS, "authorId", "forgery", "forgeryId", "forgeries"])
          expect(keys.has(k), `${f.event} carries "${k}"`).toBe(false);
      }
    }
    // The forger's sockets never carry their forgery's id before the reveal nor its image as an item.
    for (const f of [...forgerFrames, ...againFrames].filter(
      (f) => f.event === "round:started" || f.event === "round:resume",
    ))
      expect(JSON.stringify(f.args)).not.toContain(own.itemId);
    const ownRaw = forgerFrames.raw.slice(
      0,
      forgerFrames.raw.findIndex((d) => typeof d === "string" && d.includes('"round:revealed"')),
    );
    expect(ownRaw.some((d) => typeof d === "string" && d.includes(own.itemId))).toBe(false);
  });
});
