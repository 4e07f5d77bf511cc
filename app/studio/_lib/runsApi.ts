// The server's saved-runs API, as the studio uses it: one solo TrainingRun per browser (its id and
// owner token live in localStorage), snapshots uploaded as raw bytes and fetched back.
"use client";

import { z } from "@/lib/zod";

const STORAGE_KEY = "spot-the-fake:studio-run";

const RunRecord = z.object({ runId: z.string(), ownerToken: z.string(), name: z.string() });
export type RunRecord = z.infer<typeof RunRecord>;

const SnapshotInfo = z.object({
  id: z.string(),
  step: z.number(),
  createdAt: z.string(),
  bytes: z.number(),
});
export type SnapshotInfo = z.infer<typeof SnapshotInfo>;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export class RunsApiError extends Error {
  override name = "RunsApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function loadRun(): RunRecord | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    const parsed = raw ? RunRecord.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function saveRun(run: RunRecord | null): void {
  try {
    if (run) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(run));
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage blocked: the run lasts as long as the tab
  }
}

async function failure(res: Response, what: string): Promise<RunsApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON
  }
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    return new RunsApiError(parsed.data.error.message, res.status, parsed.data.error.code);
  }
  const hint = res.status === 404 ? " (the server has no saved-runs API)" : "";
  return new RunsApiError(`${what} failed: HTTP ${res.status}${hint}`, res.status);
}

const auth = (run: RunRecord) => ({ Authorization: `Bearer ${run.ownerToken}` });

/** The run saved in this browser, or a new one. */
export async function ensureRun(name: string, config: unknown): Promise<RunRecord> {
  const existing = loadRun();
  if (existing) return existing;
  const res = await fetch("/api/runs", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, kind: "solo", config }),
  });
  if (res.status !== 201) throw await failure(res, "Creating a run");
  const body = z.object({ runId: z.string(), ownerToken: z.string() }).parse(await res.json());
  const run = { ...body, name };
  saveRun(run);
  return run;
}

export async function uploadSnapshot(run: RunRecord, bytes: Uint8Array) {
  const res = await fetch(`/api/runs/${encodeURIComponent(run.runId)}/snapshots`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream", ...auth(run) },
    body: bytes as BodyInit,
  });
  if (res.status === 401 || res.status === 403 || res.status === 404) {
    // The run is gone or not ours any more: forget it so the next save starts a new one.
    saveRun(null);
  }
  if (res.status !== 201) throw await failure(res, "Saving the snapshot");
  return z
    .object({ snapshotId: z.string(), step: z.number(), bytes: z.number() })
    .parse(await res.json());
}

export async function listSnapshots(run: RunRecord): Promise<SnapshotInfo[]> {
  const res = await fetch(`/api/runs/${encodeURIComponent(run.runId)}/snapshots`, {
    headers: auth(run),
  });
  if (!res.ok) throw await failure(res, "Listing snapshots");
  return z.object({ snapshots: z.array(SnapshotInfo) }).parse(await res.json()).snapshots;
}

export async function downloadSnapshot(run: RunRecord, id: string): Promise<Uint8Array> {
  const res = await fetch(`/api/snapshots/${encodeURIComponent(id)}`, { headers: auth(run) });
  if (!res.ok) throw await failure(res, "Loading the snapshot");
  return new Uint8Array(await res.arrayBuffer());
}
