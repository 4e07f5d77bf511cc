import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiRouter } from "@/server/api/router";
import { runRoutes } from "@/server/api/runs";
import { openDatabase, type Db } from "@/server/db";
import { createLogger } from "@/server/logger";
import { migrateDatabase } from "@/server/migrate";
import { tempDatabaseUrl, tinySnapshot } from "./server-harness";

let db: Db;
let http: Server;
let base: string;

beforeAll(async () => {
  const url = tempDatabaseUrl();
  const logger = createLogger("silent");
  await migrateDatabase(url, logger);
  db = await openDatabase(url);
  const api = createApiRouter(runRoutes(db), logger);
  http = createServer((req, res) => {
    void api(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  http.close();
  await db.$disconnect();
});

async function createRun() {
  const res = await fetch(`${base}/api/runs`, {
    method: "POST",
    body: JSON.stringify({ name: "My run", kind: "solo", config: { preset: "tiny" } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { runId: string; ownerToken: string };
}

describe("saved runs API", () => {
  it("stores a snapshot and gives the same bytes back to its owner only", async () => {
    const { runId, ownerToken } = await createRun();
    const auth = { Authorization: `Bearer ${ownerToken}` };
    const bytes = await tinySnapshot(12);
    const up = await fetch(`${base}/api/runs/${runId}/snapshots`, {
      method: "POST",
      headers: auth,
      body: new Blob([bytes as BlobPart]),
    });
    expect(up.status).toBe(201);
    const { snapshotId, step } = (await up.json()) as { snapshotId: string; step: number };
    expect(step).toBe(12);

    const list = (await (
      await fetch(`${base}/api/runs/${runId}/snapshots`, { headers: auth })
    ).json()) as {
      snapshots: { id: string; step: number; bytes: number }[];
    };
    expect(list.snapshots).toEqual([
      expect.objectContaining({ id: snapshotId, step: 12, bytes: bytes.length }),
    ]);

    const back = await fetch(`${base}/api/snapshots/${snapshotId}`, { headers: auth });
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes);

    const stranger = await fetch(`${base}/api/snapshots/${snapshotId}`, {
      headers: { Authorization: `Bearer ${"x".repeat(32)}` },
    });
    expect(stranger.status).toBe(404);
  });

  it("rejects corrupted snapshots, bad JSON and oversized bodies with a reason", async () => {
    const { runId, ownerToken } = await createRun();
    const auth = { Authorization: `Bearer ${ownerToken}` };
    const bytes = await tinySnapshot(3);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    const bad = await fetch(`${base}/api/runs/${runId}/snapshots`, {
      method: "POST",
      headers: auth,
      body: new Blob([bytes as BlobPart]),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_SNAPSHOT");
    expect(await db.snapshot.count({ where: { runId } })).toBe(0);

    const badJson = await fetch(`${base}/api/runs`, { method: "POST", body: "{nope" });
    expect(badJson.status).toBe(400);
    const badName = await fetch(`${base}/api/runs`, {
      method: "POST",
      body: JSON.stringify({ name: "", kind: "solo", config: {} }),
    });
    expect(badName.status).toBe(400);

    const huge = await fetch(`${base}/api/runs/${runId}/snapshots`, {
      method: "POST",
      headers: auth,
      body: new Blob([new Uint8Array(5 * 1024 * 1024)]),
    });
    expect(huge.status).toBe(413);
  });
});
