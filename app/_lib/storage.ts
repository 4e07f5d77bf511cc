// What a browser remembers about a room, keyed by join code: a student's seat, a teacher's host
// token. localStorage may be unavailable (private mode, blocked storage); then nothing persists.
"use client";

import { z } from "@/lib/zod";

const SeatRecord = z.object({ seatToken: z.string(), nickname: z.string(), playerId: z.string() });
export type SeatRecord = z.infer<typeof SeatRecord>;

const seatKey = (code: string) => `spot-the-fake:seat:${code}`;
const hostKey = (code: string) => `spot-the-fake:host:${code}`;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // storage blocked: the seat lasts as long as the tab
  }
}

export function loadSeat(code: string): SeatRecord | null {
  const raw = read(seatKey(code));
  if (!raw) return null;
  try {
    const parsed = SeatRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveSeat(code: string, seat: SeatRecord | null): void {
  write(seatKey(code), seat ? JSON.stringify(seat) : null);
}

export function loadHostToken(code: string): string | null {
  return read(hostKey(code));
}

export function saveHostToken(code: string, token: string | null): void {
  write(hostKey(code), token);
}
