"use client";

import { useState } from "react";
import type { useHostRoom } from "@/app/_lib/useHostRoom";
import type { PlayerSummary } from "@/lib/protocol";

type Act = ReturnType<typeof useHostRoom>["act"];

/** Everyone in the room, with a two-step "remove" per player. */
export function PlayersPanel({ players, act }: { players: readonly PlayerSummary[]; act: Act }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <details className="rounded-3xl bg-white p-4 shadow-sm">
      <summary className="cursor-pointer text-lg font-bold">Players ({players.length})</summary>
      {players.length === 0 ? (
        <p className="mt-2 text-slate-500">Nobody yet.</p>
      ) : (
        <ul
          className="mt-2 flex max-h-80 flex-col divide-y divide-slate-100 overflow-y-auto"
          aria-label="Manage players"
        >
          {players.map((p) => (
            <li key={p.id} className="flex items-center gap-2 py-1.5">
              <span
                className={`size-2.5 rounded-full ${p.connected ? "bg-emerald-500" : "bg-slate-300"}`}
                aria-label={p.connected ? "online" : "offline"}
              />
              <span className="min-w-0 flex-1 truncate">{p.nickname}</span>
              <span className="font-mono text-sm text-slate-500 tabular-nums">{p.score}</span>
              {confirming === p.id ? (
                <>
                  <button
                    type="button"
                    onClick={() => {
                      setConfirming(null);
                      void act("host:kick", { playerId: p.id });
                    }}
                    className="rounded-lg bg-rose-700 px-2 py-1 text-sm font-bold text-white"
                  >
                    Remove {p.nickname}
                  </button>
                  <button
                    type="button"
                    onClick={() => setConfirming(null)}
                    className="px-1 text-sm text-slate-600"
                  >
                    Cancel
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  onClick={() => setConfirming(p.id)}
                  className="rounded-lg border border-slate-300 px-2 py-1 text-sm text-slate-700 hover:bg-slate-50"
                  aria-label={`Remove ${p.nickname}`}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
