// Seeds stored sessions the way a class makes them: a host, a trainer upload, students answering
// over real sockets, a reveal. Used by the history tests (the API is mounted on the harness).
import { expect } from "vitest";
import { PROTOCOL_VERSION } from "@/lib/protocol";
import { createApiRouter } from "@/server/api/router";
import { historyRoutes } from "@/server/api/history";
import { createLogger } from "@/server/logger";
import {
  harnessPerTest,
  nextEvent,
  noiseImages,
  tinySnapshot,
  type Harness,
} from "./server-harness";

export const PASSPHRASE = "correct horse battery staple";

export function mountHistoryApi(h: Harness): void {
  const api = createApiRouter(
    historyRoutes(h.db, { teacherPassphrase: PASSPHRASE }),
    createLogger("silent"),
  );
  h.http.on("request", (req, res) => {
    void api(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
}

/** Like harnessPerTest, with the history API mounted on every server it starts. */
export function historyHarnessPerTest(): () => Promise<Harness> {
  const start = harnessPerTest();
  return async () => {
    const h = await start();
    mountHistoryApi(h);
    return h;
  };
}

export interface SeededRoom {
  roomId: string;
  code: string;
  hostToken: string;
}

/**
 * A class of `nicknames.length` students plays one round of 4 items: everyone says "real" to
 * every item, except the first student, who says "fake" to the first two. Two snapshots (steps 5
 * and 10, a minute apart on the server clock) and three metric rows are stored.
 */
export async function playOneRound(h: Harness, nicknames = ["Ada", "Grace"]): Promise<SeededRoom> {
  const host = await h.client();
  const created = await host.emitWithAck("room:create", {
    protocolVersion: PROTOCOL_VERSION,
    settings: { roundSize: 4 },
  });
  if (!created.ok) throw new Error(created.code);
  const auth = { code: created.data.code, hostToken: created.data.hostToken };
  for (const step of [5, 10]) {
    const snap = await host.emitWithAck("trainer:snapshot", {
      ...auth,
      step,
      weights: await tinySnapshot(step),
    });
    expect(snap.ok).toBe(true);
    h.clock.now += 61_000; // the server keeps one snapshot a minute
  }
  const metrics = await host.emitWithAck("trainer:metrics", {
    ...auth,
    metrics: [2, 6, 10].map((step) => ({
      step,
      dLoss: 1.4 - step / 100,
      gLoss: 0.7 + step / 100,
      dReal: 0.6,
      dFake: 0.4,
      quality: step / 10,
      fid: null,
      lambda: 0.25,
    })),
  });
  expect(metrics.ok).toBe(true);
  const fakes = await host.emitWithAck("trainer:fakes", {
    ...auth,
    step: 10,
    images: noiseImages(8),
  });
  expect(fakes.ok).toBe(true);

  const students = [];
  for (const nickname of nicknames) {
    const socket = await h.client();
    const joined = await socket.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code: auth.code,
      nickname,
    });
    if (!joined.ok) throw new Error(joined.code);
    students.push(socket);
  }
  const started = nextEvent(students[0]!, "round:started");
  expect((await host.emitWithAck("host:start-round", auth)).ok).toBe(true);
  const round = await started;
  for (const [s, socket] of students.entries()) {
    for (const [i, item] of round.items.entries()) {
      const ack = await socket.emitWithAck("round:answer", {
        roundId: round.roundId,
        itemId: item.itemId,
        verdict: s === 0 && i < 2 ? "fake" : "real",
      });
      expect(ack.ok).toBe(true);
    }
  }
  const revealed = nextEvent(students[0]!, "round:revealed");
  expect((await host.emitWithAck("host:reveal", auth)).ok).toBe(true);
  await revealed;
  const room = await h.db.room.findUniqueOrThrow({ where: { code: auth.code } });
  return { roomId: room.id, ...auth };
}

/** Rows in every table, so a test can say exactly what a delete removed. */
export async function countRows(h: Harness) {
  const db = h.db;
  const [rooms, players, rounds, items, answers, runs, snapshots, metrics] = await Promise.all([
    db.room.count(),
    db.player.count(),
    db.round.count(),
    db.item.count(),
    db.answer.count(),
    db.trainingRun.count(),
    db.snapshot.count(),
    db.trainingMetric.count(),
  ]);
  return { rooms, players, rounds, items, answers, runs, snapshots, metrics };
}
