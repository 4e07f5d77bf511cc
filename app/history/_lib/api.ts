// The history API as the page uses it. The browser proves what it may see with the tokens it
// already holds: host tokens of the classes it ran (app/_lib/storage.ts) and the studio's solo
// run owner token; a teacher may add the server's passphrase (kept for this tab only).
"use client";

import { z } from "@/lib/zod";
import { saveHostToken } from "@/app/_lib/storage";

const HOST_PREFIX = "spot-the-fake:host:";
const STUDIO_RUN_KEY = "spot-the-fake:studio-run";
const PASSPHRASE_KEY = "spot-the-fake:teacher-passphrase";

/** Every token this browser holds, in a stable order. */
export function heldTokens(): string[] {
  const tokens: string[] = [];
  try {
    const store = window.localStorage;
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      const value = key?.startsWith(HOST_PREFIX) ? store.getItem(key) : null;
      if (value) tokens.push(value);
    }
    const run = z
      .object({ ownerToken: z.string() })
      .safeParse(JSON.parse(store.getItem(STUDIO_RUN_KEY) ?? "null"));
    if (run.success) tokens.push(run.data.ownerToken);
  } catch {
    // storage blocked: no tokens
  }
  // The server takes tokens of 16–128 characters; anything else is not one of ours.
  return tokens.filter((t) => t.length >= 16 && t.length <= 128).sort();
}

export function loadPassphrase(): string | null {
  try {
    return window.sessionStorage.getItem(PASSPHRASE_KEY);
  } catch {
    return null;
  }
}

export function savePassphrase(value: string | null): void {
  try {
    if (value) window.sessionStorage.setItem(PASSPHRASE_KEY, value);
    else window.sessionStorage.removeItem(PASSPHRASE_KEY);
  } catch {
    // storage blocked: the passphrase lasts until the page closes
  }
}

/** Forgets a deleted class's host token, so the list does not ask about it again. */
export function forgetSession(code: string | null): void {
  if (code) saveHostToken(code, null);
}

const Interval = z.object({
  estimate: z.number(),
  low: z.number(),
  high: z.number(),
  level: z.number(),
});
export type Interval = z.infer<typeof Interval>;

const Summary = z.object({
  kind: z.enum(["room", "run"]),
  id: z.string(),
  title: z.string(),
  code: z.string().nullable(),
  status: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  players: z.number(),
  rounds: z.number(),
  stepsReached: z.number().nullable(),
  classAccuracy: z.number().nullable(),
  policeAccuracy: z.number().nullable(),
  snapshots: z.number(),
  access: z.enum(["owner", "teacher"]),
  tokenIndex: z.number().nullable(),
});
export type SessionSummary = z.infer<typeof Summary>;

const Detail = z.object({
  session: Summary,
  leaderboard: z.array(
    z.object({
      rank: z.number(),
      playerId: z.string(),
      nickname: z.string(),
      score: z.number(),
      isPolice: z.boolean(),
      /** Classmates fooled by the player's forgeries (the "best counterfeiter" column). */
      fooled: z.number().default(0),
    }),
  ),
  rounds: z.array(
    z.object({
      roundId: z.string(),
      index: z.number(),
      generatorStep: z.number(),
      items: z.number(),
      answers: z.number(),
      classAccuracy: Interval.nullable(),
      policeAccuracy: Interval.nullable(),
    }),
  ),
  metrics: z.array(
    z.object({
      step: z.number(),
      dLoss: z.number(),
      gLoss: z.number(),
      dReal: z.number(),
      dFake: z.number(),
      quality: z.number().nullable(),
      fid: z.number().nullable(),
      lambda: z.number(),
    }),
  ),
  snapshots: z.array(z.object({ id: z.string(), step: z.number(), createdAt: z.string() })),
});
export type SessionDetail = z.infer<typeof Detail>;
export type SnapshotRef = SessionDetail["snapshots"][number];

export class HistoryError extends Error {
  override name = "HistoryError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<HistoryError> {
  const body = await res.json().catch(() => null);
  const parsed = z.object({ error: z.object({ message: z.string() }) }).safeParse(body);
  return new HistoryError(
    parsed.success ? parsed.data.error.message : `The server answered HTTP ${res.status}.`,
    res.status,
  );
}

export interface Listing {
  teacher: boolean;
  sessions: SessionSummary[];
  tokens: string[];
}

export async function listSessions(passphrase: string | null): Promise<Listing> {
  const tokens = heldTokens();
  const res = await fetch("/api/history/sessions", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ tokens, ...(passphrase ? { passphrase } : {}) }),
  });
  if (!res.ok) throw await failure(res);
  const body = z
    .object({ teacher: z.boolean(), sessions: z.array(Summary) })
    .parse(await res.json());
  return { ...body, tokens };
}

/** The secret that opens one session: its own token if this browser holds it, else the passphrase. */
export function secretFor(kind: string, id: string): Promise<string | null> {
  return listSessions(loadPassphrase()).then(({ sessions, tokens }) => {
    const s = sessions.find((x) => x.kind === kind && x.id === id);
    if (!s) return null;
    return s.tokenIndex === null ? loadPassphrase() : (tokens[s.tokenIndex] ?? null);
  });
}

const auth = (secret: string) => ({ Authorization: `Bearer ${secret}` });
const base = (kind: string, id: string) =>
  `/api/history/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;

export async function loadSession(kind: string, id: string, secret: string) {
  const res = await fetch(base(kind, id), { headers: auth(secret) });
  if (!res.ok) throw await failure(res);
  return Detail.parse(await res.json());
}

const OldRound = z.object({
  index: z.number(),
  generatorStep: z.number(),
  items: z.array(
    z.object({
      itemId: z.string(),
      kind: z.enum(["real", "fake"]),
      image: z.string(),
      dProbability: z.number().nullable(),
      saidReal: z.number(),
      saidFake: z.number(),
    }),
  ),
});
export type OldRound = z.infer<typeof OldRound>;

/** A revealed round's images with the truth, for re-judging them now. */
export async function loadRound(roomId: string, index: number, secret: string) {
  const res = await fetch(`${base("room", roomId)}/rounds/${index}`, { headers: auth(secret) });
  if (!res.ok) throw await failure(res);
  return OldRound.parse(await res.json());
}

export async function deleteSession(kind: string, id: string, secret: string) {
  const res = await fetch(base(kind, id), { method: "DELETE", headers: auth(secret) });
  if (!res.ok) throw await failure(res);
  return z.object({ deleted: z.record(z.string(), z.number()) }).parse(await res.json()).deleted;
}

export async function fetchSnapshot(snapshotId: string, secret: string): Promise<Uint8Array> {
  const res = await fetch(`/api/history/snapshots/${encodeURIComponent(snapshotId)}`, {
    headers: auth(secret),
  });
  if (!res.ok) throw await failure(res);
  return new Uint8Array(await res.arrayBuffer());
}

export const exportUrls = {
  csv: (id: string) => `${base("room", id)}/answers.csv`,
  json: (kind: string, id: string) => `${base(kind, id)}/session.json`,
  png: (snapshotId: string, q: { count: number; cols: number; seed: number }) =>
    `/api/history/snapshots/${encodeURIComponent(snapshotId)}/grid.png?count=${q.count}&cols=${q.cols}&seed=${q.seed}&scale=4`,
};

/**
 * Downloads with the Authorization header (a plain link could not carry it, and tokens never go
 * in URLs), then hands the file to the browser under the server's file name.
 */
export async function download(url: string, secret: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { headers: auth(secret) });
  if (!res.ok) throw await failure(res);
  const disposition = res.headers.get("content-disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
