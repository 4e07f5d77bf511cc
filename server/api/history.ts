// /api/history: past sessions for the teacher who ran them. Every route checks its own
// authorisation (a host or owner token, or the teacher passphrase) — see history-auth.ts.
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { SnapshotError } from "../../lib/gan/snapshot";
import type { Db } from "../db";
import { loadEnv } from "../env";
import { hashToken } from "../tokens";
import {
  authoriseRoom,
  authoriseSession,
  authoriseSnapshot,
  bearerSecret,
  createFailureLimiter,
  tooManyAttempts,
  passphraseMatches,
  type HistoryOptions,
  type SessionKind,
} from "./history-auth";
import { sessionDetail, summarise, type Grant } from "./history-data";
import { revealedRoundItems } from "./history-records";
import { deleteRoomRows, deleteRunRows } from "./history-delete";
import { streamAnswersCsv, streamSessionJson } from "./history-export";
import { snapshotGridPng } from "./history-png";
import { HttpError, readJson, sendJson, sendSnapshotFile } from "./http";
import type { Route } from "./router";

const ListRequest = z.object({
  tokens: z.array(z.string().min(16).max(128)).max(200).default([]),
  passphrase: z.string().min(1).max(256).optional(),
});

const GridQuery = z.object({
  count: z.coerce.number().int().min(1).max(100).default(64),
  cols: z.coerce.number().int().min(1).max(20).default(8),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  scale: z.coerce.number().int().min(1).max(8).default(4),
});

const SESSION = "(room|run)\\/([\\w-]{1,64})";
const ID = "([\\w-]{1,64})";
const path = (p: string) => new RegExp(`^\\/api\\/history\\/${p}$`);

function slug(detail: { session: { code: string | null; id: string; createdAt: string } }) {
  const s = detail.session;
  return `spot-the-fake-${s.code ?? s.id}-${s.createdAt.slice(0, 10)}`;
}

function badRequest(error: z.ZodError): HttpError {
  const text = error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  return new HttpError(400, "BAD_PAYLOAD", text);
}

// Rendering runs tfjs on the event loop: one grid at a time, so a burst of clicks cannot stall a
// live class for long.
let renderQueue: Promise<unknown> = Promise.resolve();
function serialised<T>(job: () => Promise<T>): Promise<T> {
  const next = renderQueue.then(job, job);
  renderQueue = next.catch(() => undefined);
  return next;
}

export function historyRoutes(
  db: Db,
  opts: HistoryOptions = { teacherPassphrase: loadEnv().TEACHER_PASSPHRASE },
): Route[] {
  const limiter = createFailureLimiter();
  const clientOf = (req: IncomingMessage) => req.socket.remoteAddress ?? "unknown";
  /** The passphrase counts only for addresses that have not been guessing. */
  const optsFor = (req: IncomingMessage): HistoryOptions =>
    limiter.blocked(clientOf(req)) ? {} : opts;

  async function detailFor(req: IncomingMessage, kind: SessionKind, id: string) {
    const access = await authoriseSession(db, kind, id, bearerSecret(req), optsFor(req));
    const detail = await sessionDetail(db, kind, id, { access, tokenIndex: null });
    if (!detail) throw new HttpError(404, "SESSION_NOT_FOUND", "The session is gone.");
    return detail;
  }

  const routes: Route[] = [
    {
      method: "POST",
      pattern: path("sessions"),
      async handle(req, res) {
        const parsed = ListRequest.safeParse(await readJson(req));
        if (!parsed.success) throw badRequest(parsed.error);
        const passphrase = parsed.data.passphrase ?? bearerSecret(req);
        if (passphrase && limiter.blocked(clientOf(req))) throw tooManyAttempts();
        const teacher = passphraseMatches(passphrase, opts);
        if (passphrase && !teacher) limiter.fail(clientOf(req));
        const hashes = parsed.data.tokens.map(hashToken);
        const indexOf = new Map(hashes.map((h, i) => [h, i]));
        const [rooms, runs] = await Promise.all([
          db.room.findMany({
            where: teacher ? {} : { hostTokenHash: { in: hashes } },
            select: { id: true, hostTokenHash: true },
          }),
          db.trainingRun.findMany({
            where: teacher ? { kind: "solo" } : { kind: "solo", ownerTokenHash: { in: hashes } },
            select: { id: true, ownerTokenHash: true },
          }),
        ]);
        const grant = (hash: string | null): Grant => {
          const tokenIndex = hash === null ? null : (indexOf.get(hash) ?? null);
          return { access: tokenIndex === null ? "teacher" : "owner", tokenIndex };
        };
        const sessions = await summarise(
          db,
          new Map(rooms.map((r) => [r.id, grant(r.hostTokenHash)])),
          new Map(runs.map((r) => [r.id, grant(r.ownerTokenHash)])),
        );
        sendJson(res, 200, { teacher, sessions });
      },
    },
    {
      method: "GET",
      pattern: path(SESSION),
      async handle(req, res, [kind, id]) {
        sendJson(res, 200, await detailFor(req, kind as SessionKind, id!));
      },
    },
    {
      method: "DELETE",
      pattern: path(SESSION),
      async handle(req, res, [kind, id]) {
        const access = await authoriseSession(
          db,
          kind as SessionKind,
          id!,
          bearerSecret(req),
          opts,
        );
        if (access !== "owner") {
          throw new HttpError(
            403,
            "NEEDS_HOST_TOKEN",
            "Only the browser that ran this session (its host token) can delete it.",
          );
        }
        const deleted =
          kind === "room" ? await deleteRoomRows(db, id!) : await deleteRunRows(db, id!);
        if (kind === "room") opts.onRoomDeleted?.(id!);
        sendJson(res, 200, { deleted });
      },
    },
    {
      method: "GET",
      pattern: path(`room\\/${ID}\\/answers\\.csv`),
      async handle(req, res, [id]) {
        const { room } = await authoriseRoom(db, id!, bearerSecret(req), optsFor(req));
        const name = `spot-the-fake-${room.code}-${room.createdAt.toISOString().slice(0, 10)}`;
        await streamAnswersCsv(db, res, room.id, `${name}-answers.csv`);
      },
    },
    {
      method: "GET",
      pattern: path(`room\\/${ID}\\/rounds\\/(\\d{1,4})`),
      async handle(req, res, [id, index]) {
        await authoriseRoom(db, id!, bearerSecret(req), optsFor(req));
        const round = await revealedRoundItems(db, id!, Number(index));
        if (!round)
          throw new HttpError(404, "ROUND_NOT_FOUND", "No revealed round with that number.");
        sendJson(res, 200, round);
      },
    },
    {
      method: "GET",
      pattern: path(`${SESSION}\\/session\\.json`),
      async handle(req, res, [kind, id]) {
        const detail = await detailFor(req, kind as SessionKind, id!);
        await streamSessionJson(db, res, detail, `${slug(detail)}.json`);
      },
    },
    {
      method: "GET",
      pattern: path(`snapshots\\/${ID}`),
      async handle(req, res, [id]) {
        await authoriseSnapshot(db, id!, bearerSecret(req), optsFor(req));
        const snap = await db.snapshot.findUniqueOrThrow({
          where: { id: id! },
          select: { weights: true, step: true },
        });
        sendSnapshotFile(res, snap.step, snap.weights);
      },
    },
    {
      method: "GET",
      pattern: path(`snapshots\\/${ID}\\/grid\\.png`),
      async handle(req, res, [id]) {
        const query = new URL(req.url ?? "/", "http://localhost").searchParams;
        const parsed = GridQuery.safeParse(Object.fromEntries(query));
        if (!parsed.success) throw badRequest(parsed.error);
        await authoriseSnapshot(db, id!, bearerSecret(req), optsFor(req));
        const snap = await db.snapshot.findUniqueOrThrow({
          where: { id: id! },
          select: { weights: true, step: true },
        });
        let png: Buffer;
        try {
          png = await serialised(() => snapshotGridPng(new Uint8Array(snap.weights), parsed.data));
        } catch (err) {
          const why = err instanceof SnapshotError ? err.message : (err as Error).message;
          throw new HttpError(
            422,
            "UNUSABLE_SNAPSHOT",
            `This snapshot cannot draw digits: ${why}.`,
          );
        }
        res.statusCode = 200;
        res.setHeader("Content-Type", "image/png");
        res.setHeader("Cache-Control", "private, no-store");
        res.setHeader(
          "Content-Disposition",
          `attachment; filename="samples-step-${snap.step}.png"`,
        );
        res.end(png);
      },
    },
  ];

  // Every route: a 404 is a wrong key (ids are not enumerable); an address that keeps presenting
  // them is told so, and its passphrase attempts stop being compared.
  return routes.map((route) => ({
    ...route,
    async handle(req, res, params) {
      const client = clientOf(req);
      try {
        await route.handle(req, res, params);
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 404)) throw err;
        if (limiter.blocked(client)) throw tooManyAttempts();
        limiter.fail(client);
        throw err;
      }
    },
  }));
}
