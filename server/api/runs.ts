// Saved training runs (the studio's "save to server"): create a run, add snapshots, list and load
// them. Only the holder of the run's owner token (or, for a class, the host token) gets in.
import { z } from "zod";
import { decodeSnapshot, SnapshotError } from "../../lib/gan/snapshot";
import { MAX_SNAPSHOT_BYTES } from "../../lib/protocol/schemas";
import type { Db } from "../db";
import { hashToken, newId, newToken, tokenMatches } from "../tokens";
import { bearerToken, HttpError, readBody, readJson, sendJson, sendSnapshotFile } from "./http";
import type { Route } from "./router";

const CreateRun = z.object({
  name: z.string().trim().min(1).max(80),
  kind: z.literal("solo"),
  config: z.record(z.string(), z.unknown()),
});

async function authorisedRun(db: Db, runId: string, token: string | null) {
  const run = await db.trainingRun.findUnique({ where: { id: runId }, include: { room: true } });
  const hash = run?.ownerTokenHash ?? run?.room?.hostTokenHash;
  // Same answer for "no such run" and "wrong token": ids are not enumerable.
  if (!run || !hash || !token || !tokenMatches(token, hash)) {
    throw new HttpError(404, "RUN_NOT_FOUND", "No run with that id for this token.");
  }
  return run;
}

export function runRoutes(db: Db): Route[] {
  return [
    {
      method: "POST",
      pattern: /^\/api\/runs$/,
      async handle(req, res) {
        const parsed = CreateRun.safeParse(await readJson(req));
        if (!parsed.success) {
          throw new HttpError(
            400,
            "BAD_PAYLOAD",
            parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
          );
        }
        const ownerToken = newToken();
        const run = await db.trainingRun.create({
          data: {
            id: newId(),
            kind: "solo",
            name: parsed.data.name,
            config: JSON.stringify(parsed.data.config),
            ownerTokenHash: hashToken(ownerToken),
          },
        });
        sendJson(res, 201, { runId: run.id, ownerToken });
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/runs\/([\w-]{1,64})\/snapshots$/,
      async handle(req, res, [runId]) {
        const run = await authorisedRun(db, runId!, bearerToken(req));
        const body = await readBody(req, MAX_SNAPSHOT_BYTES);
        let step: number;
        try {
          step = decodeSnapshot(new Uint8Array(body)).step;
        } catch (err) {
          const message =
            err instanceof SnapshotError ? err.message : "not a Spot the Fake snapshot";
          throw new HttpError(
            400,
            "BAD_SNAPSHOT",
            `This file is not a usable snapshot: ${message}.`,
          );
        }
        const snap = await db.snapshot.create({
          data: { id: newId(), runId: run.id, step, weights: new Uint8Array(body) },
        });
        sendJson(res, 201, { snapshotId: snap.id, step, bytes: body.length });
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/runs\/([\w-]{1,64})\/snapshots$/,
      async handle(req, res, [runId]) {
        const run = await authorisedRun(db, runId!, bearerToken(req));
        // Sizes without loading the blobs. Portable SQL: quoted identifiers, and octet_length
        // exists in PostgreSQL and SQLite >= 3.43 (better-sqlite3 bundles a newer one).
        const rows = await db.$queryRaw<
          { id: string; step: number; createdAt: string | Date; bytes: number }[]
        >`
          SELECT "id", "step", "createdAt", octet_length("weights") AS "bytes"
          FROM "Snapshot" WHERE "runId" = ${run.id} ORDER BY "step"`;
        sendJson(res, 200, {
          snapshots: rows.map((r) => ({
            id: r.id,
            step: Number(r.step),
            createdAt: new Date(r.createdAt).toISOString(),
            bytes: Number(r.bytes),
          })),
        });
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/snapshots\/([\w-]{1,64})$/,
      async handle(req, res, [snapshotId]) {
        const snap = await db.snapshot.findUnique({
          where: { id: snapshotId },
          select: { runId: true },
        });
        if (!snap) throw new HttpError(404, "SNAPSHOT_NOT_FOUND", "No snapshot with that id.");
        await authorisedRun(db, snap.runId, bearerToken(req));
        const full = await db.snapshot.findUniqueOrThrow({ where: { id: snapshotId! } });
        sendSnapshotFile(res, full.step, full.weights);
      },
    },
  ];
}
