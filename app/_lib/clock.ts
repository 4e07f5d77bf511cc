// Time as the server sees it. Deadlines come from the server clock; a phone's clock may be off by
// minutes, so every payload that carries `serverNow` re-estimates the offset.
"use client";

import { useEffect, useState } from "react";

/** Offset to add to Date.now() to get the server's time (half the trip is ignored: ~ms). */
export function clockOffset(serverNow: number, receivedAt = Date.now()): number {
  return serverNow - receivedAt;
}

/** Milliseconds left until `deadline` (server time), never negative. */
export function remainingMs(deadline: number, offset: number, now = Date.now()): number {
  return Math.max(0, deadline - (now + offset));
}

/** Re-renders every `intervalMs` while `active`, returning the local Date.now(). */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}
