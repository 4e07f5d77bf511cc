// Seat and host tokens: random, shown once to their owner, stored only as SHA-256 hashes.
import { createHash, timingSafeEqual } from "node:crypto";
import { customAlphabet, nanoid } from "nanoid";
import { JOIN_CODE_ALPHABET } from "../lib/protocol/schemas";

export const newToken = (): string => nanoid(32);
/**
 * Row ids: letters and digits only. They end up in CSV exports, where a cell starting with "-"
 * or "=" is defused as a would-be formula, and in URLs.
 */
export const newId = customAlphabet(
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  16,
);
export const newJoinCode = customAlphabet(JOIN_CODE_ALPHABET, 6);

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
