// Streamed exports of a class session: every answer as CSV rows, or the whole session as JSON.
// Rows are read and written one round at a time, waiting for the socket to drain, so a long
// session with a big class never sits in memory whole.
import type { ServerResponse } from "node:http";
import type { Db } from "../db";
import type { SessionDetail } from "./history-data";

/** Resolves when the chunk is handed to the socket (after 'drain' if its buffer was full). */
function write(res: ServerResponse, chunk: string): Promise<void> {
  if (res.destroyed) return Promise.reject(new ClientGone());
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new ClientGone());
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

class ClientGone extends Error {
  constructor() {
    super("the client closed the download");
  }
}

/** Sends headers, runs the writer, ends; a failure after the headers cuts the download short. */
async function stream(
  res: ServerResponse,
  type: string,
  filename: string,
  body: (put: (chunk: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  res.statusCode = 200;
  res.setHeader("Content-Type", type);
  res.setHeader("Cache-Control", "private, no-store");
  res.setHeader("Content-Disposition", `attachment; filename="${filename}"`);
  try {
    await body((chunk) => write(res, chunk));
    res.end();
  } catch (err) {
    // Headers are gone, so no error body is possible: a truncated file is the honest signal.
    res.destroy(err instanceof ClientGone ? undefined : (err as Error));
  }
}

export const CSV_COLUMNS = [
  "round",
  "image_id",
  "position",
  "kind",
  "generator_step",
  "player",
  "verdict",
  "correct",
  "latency_ms",
  "points",
  "police_probability",
] as const;

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

async function roundsOf(db: Db, roomId: string) {
  return db.round.findMany({
    where: { roomId },
    orderBy: { index: "asc" },
    select: {
      id: true,
      index: true,
      generatorStep: true,
      startedAt: true,
      deadline: true,
      revealedAt: true,
    },
  });
}

async function itemsOf(db: Db, roundId: string) {
  return db.item.findMany({
    where: { roundId },
    orderBy: { position: "asc" },
    select: {
      id: true,
      position: true,
      kind: true,
      image: true,
      dProbability: true,
      datasetIndex: true,
      generatorStep: true,
      answers: {
        orderBy: { createdAt: "asc" },
        select: {
          playerId: true,
          verdict: true,
          correct: true,
          latencyMs: true,
          points: true,
          createdAt: true,
          player: { select: { nickname: true } },
        },
      },
    },
  });
}

export async function streamAnswersCsv(
  db: Db,
  res: ServerResponse,
  roomId: string,
  filename: string,
): Promise<void> {
  await stream(res, "text/csv; charset=utf-8", filename, async (put) => {
    await put(CSV_COLUMNS.join(",") + "\r\n");
    for (const round of await roundsOf(db, roomId)) {
      const lines: string[] = [];
      for (const item of await itemsOf(db, round.id)) {
        for (const a of item.answers) {
          const row = [
            round.index + 1,
            item.id,
            item.position,
            item.kind,
            item.generatorStep,
            a.player.nickname,
            a.verdict,
            a.correct,
            a.latencyMs,
            a.points,
            item.dProbability,
          ];
          lines.push(row.map(csvCell).join(",") + "\r\n");
        }
      }
      if (lines.length) await put(lines.join(""));
    }
  });
}

/**
 * The session as one JSON document: the detail the page shows, then every round with its images
 * (base64 of 784 grayscale bytes) and answers. Snapshot weights stay out (fetch them by id).
 */
export async function streamSessionJson(
  db: Db,
  res: ServerResponse,
  detail: SessionDetail,
  filename: string,
): Promise<void> {
  await stream(res, "application/json; charset=utf-8", filename, async (put) => {
    const players = await db.player.findMany({
      where: { roomId: detail.session.id },
      orderBy: { joinedAt: "asc" },
      select: { id: true, nickname: true, score: true, kicked: true, joinedAt: true },
    });
    const head = {
      format: "spot-the-fake-session",
      version: 1,
      session: detail.session,
      leaderboard: detail.leaderboard,
      players,
      accuracy: detail.rounds,
      metrics: detail.metrics,
      snapshots: detail.snapshots,
    };
    // Everything but the rounds, then the rounds array one element at a time.
    await put(JSON.stringify(head).slice(0, -1) + ',"rounds":[');
    const rounds = detail.session.kind === "room" ? await roundsOf(db, detail.session.id) : [];
    for (const [i, round] of rounds.entries()) {
      const items = (await itemsOf(db, round.id)).map(({ image, answers, ...item }) => ({
        ...item,
        image: Buffer.from(image).toString("base64"),
        answers: answers.map(({ player, ...a }) => ({ ...a, nickname: player.nickname })),
      }));
      await put((i ? "," : "") + JSON.stringify({ ...round, items }));
    }
    await put("]}");
  });
}
