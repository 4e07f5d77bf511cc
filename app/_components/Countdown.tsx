"use client";

import { remainingMs, useNow } from "@/app/_lib/clock";

interface Props {
  /** Server-clock deadline (ms since epoch). */
  deadline: number;
  /** Server time − local time, from the latest server message. */
  offset: number;
  /** The round's full length, for the bar. */
  totalMs: number;
  size?: "md" | "xl";
}

/** Seconds left in the round by the server's clock, with a draining bar. */
export function Countdown({ deadline, offset, totalMs, size = "md" }: Props) {
  const now = useNow(200);
  const left = remainingMs(deadline, offset, now);
  const seconds = Math.ceil(left / 1000);
  const share = totalMs > 0 ? Math.min(1, left / totalMs) : 0;
  const urgent = seconds <= 5;
  return (
    <div className="flex items-center gap-3" role="timer" aria-label={`${seconds} seconds left`}>
      <span
        className={`font-mono font-black tabular-nums ${size === "xl" ? "text-6xl" : "text-3xl"} ${
          urgent ? "text-fake" : "text-ink"
        }`}
        aria-hidden
      >
        {left > 0 ? `${seconds}s` : "Time!"}
      </span>
      <div className="h-3 min-w-16 flex-1 overflow-hidden rounded-full bg-slate-200" aria-hidden>
        <div
          className={`h-full rounded-full transition-[width] duration-200 ease-linear ${
            urgent ? "bg-fake" : "bg-indigo-500"
          }`}
          style={{ width: `${share * 100}%` }}
        />
      </div>
    </div>
  );
}
