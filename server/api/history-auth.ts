// Who may see a stored session: the holder of its host token (a class) or owner token (a solo
// run), or a teacher holding the server's TEACHER_PASSPHRASE. Deleting needs the session's own
// token: the passphrase lets a teacher look, not erase another teacher's class.
import type { IncomingMessage } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Db } from "../db";
import { tokenMatches } from "../tokens";
import { HttpError } from "./http";

export type SessionKind = "room" | "run";
/** How the caller got in. */
export type Access = "owner" | "teacher";

export interface HistoryOptions {
  /** Unset: only tokens open sessions. */
  teacherPassphrase?: string | undefined;
  /** Told after a class session's rows are deleted, so a live room is dropped from memory. */
  onRoomDeleted?: (roomId: string) => void;
}

/** The secret after "Bearer " (a token, or a passphrase that may contain spaces). */
export function bearerSecret(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(.{1,256})$/.exec(req.headers.authorization ?? "");
  const secret = match?.[1]?.trim();
  return secret ? secret : null;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export function passphraseMatches(secret: string | null, opts: HistoryOptions): boolean {
  if (!secret || !opts.teacherPassphrase) return false;
  return timingSafeEqual(digest(secret), digest(opts.teacherPassphrase));
}

function accessWith(
  hash: string | null | undefined,
  secret: string | null,
  opts: HistoryOptions,
): Access | null {
  if (secret && hash && tokenMatches(secret, hash)) return "owner";
  return passphraseMatches(secret, opts) ? "teacher" : null;
}

// One answer for "no such session" and "not yours": ids are not enumerable.
const notFound = () =>
  new HttpError(404, "SESSION_NOT_FOUND", "No session with that id for this token.");

export async function authoriseRoom(
  db: Db,
  roomId: string,
  secret: string | null,
  opts: HistoryOptions,
) {
  const room = await db.room.findUnique({ where: { id: roomId } });
  const access = room ? accessWith(room.hostTokenHash, secret, opts) : null;
  if (!room || !access) throw notFound();
  return { room, access };
}

/** A solo run (class runs are reached through their room). */
export async function authoriseRun(
  db: Db,
  runId: string,
  secret: string | null,
  opts: HistoryOptions,
) {
  const run = await db.trainingRun.findUnique({ where: { id: runId } });
  const access = run?.kind === "solo" ? accessWith(run.ownerTokenHash, secret, opts) : null;
  if (!run || !access) throw notFound();
  return { run, access };
}

export async function authoriseSession(
  db: Db,
  kind: SessionKind,
  id: string,
  secret: string | null,
  opts: HistoryOptions,
): Promise<Access> {
  return kind === "room"
    ? (await authoriseRoom(db, id, secret, opts)).access
    : (await authoriseRun(db, id, secret, opts)).access;
}

/** A snapshot of a class run (host token) or of a solo run (owner token), or any for a teacher. */
export async function authoriseSnapshot(
  db: Db,
  snapshotId: string,
  secret: string | null,
  opts: HistoryOptions,
) {
  const snap = await db.snapshot.findUnique({
    where: { id: snapshotId },
    select: {
      id: true,
      step: true,
      run: { select: { ownerTokenHash: true, room: { select: { hostTokenHash: true } } } },
    },
  });
  const hash = snap?.run.ownerTokenHash ?? snap?.run.room?.hostTokenHash;
  if (!snap || !accessWith(hash, secret, opts)) {
    throw new HttpError(404, "SNAPSHOT_NOT_FOUND", "No snapshot with that id for this token.");
  }
  return snap;
}

/**
 * Wrong keys per client address: the passphrase may be guessable, the tokens are not. After `max`
 * failures within `windowMs`, the passphrase is not even compared for that address until the
 * window slides past them. Tokens keep working, so a classmate behind the same school NAT cannot
 * lock the teacher out.
 */
export const tooManyAttempts = () =>
  new HttpError(
    429,
    "TOO_MANY_ATTEMPTS",
    "Too many wrong keys from this address. Try again in a few minutes.",
  );

export function createFailureLimiter(max = 20, windowMs = 10 * 60_000, clock = Date.now) {
  const failures = new Map<string, number[]>();
  const recent = (key: string) => {
    const now = clock();
    const list = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };
  return {
    blocked: (key: string): boolean => recent(key).length >= max,
    fail(key: string): void {
      // Bounded memory under a flood of addresses: forget the oldest one.
      if (failures.size >= 10_000 && !failures.has(key)) {
        failures.delete(failures.keys().next().value!);
      }
      failures.set(key, [...recent(key), clock()]);
    },
  };
}
