"use client";

import { useState } from "react";
import { Spinner } from "@/app/_components/ConnectionBanner";
import type { useHostRoom } from "@/app/_lib/useHostRoom";
import type { RoomState } from "@/lib/protocol";
import { LockIcon } from "@/app/_components/Icons";

type Act = ReturnType<typeof useHostRoom>["act"];

const button =
  "flex items-center justify-center gap-2 rounded-2xl px-5 font-bold transition focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60";

/** Start a round / reveal now, lock the room, end the session (with a confirmation). */
export function Controls({
  room,
  act,
  message,
  onDismiss,
}: {
  room: RoomState;
  act: Act;
  message: string | null;
  onDismiss: () => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);

  async function run(label: string, action: () => Promise<unknown>) {
    setBusy(label);
    try {
      await action();
    } finally {
      setBusy(null);
    }
  }

  const inRound = room.status === "round";
  const nextIndex = (room.round?.index ?? -1) + 2;
  return (
    <section
      className="flex flex-col gap-3 rounded-3xl bg-white p-4 shadow-sm"
      aria-label="Round controls"
    >
      {inRound ? (
        <button
          type="button"
          disabled={busy !== null}
          onClick={() => run("reveal", () => act("host:reveal", {}))}
          className={`${button} min-h-16 bg-slate-900 text-2xl text-white hover:bg-slate-700`}
        >
          {busy === "reveal" ? <Spinner className="border-white" /> : null}
          Reveal now
        </button>
      ) : (
        <button
          type="button"
          disabled={busy !== null}
          onClick={() => run("start", () => act("host:start-round", {}))}
          className={`${button} min-h-16 bg-indigo-600 text-2xl text-white hover:bg-indigo-500`}
        >
          {busy === "start" ? <Spinner className="border-white" /> : null}
          {busy === "start" ? "Preparing images…" : `Start round ${room.round ? nextIndex : 1}`}
        </button>
      )}
      {!inRound && room.status !== "ended" ? (
        <button
          type="button"
          disabled={busy !== null}
          onClick={() => run("forge", () => act("host:forge", { open: !room.forge?.open }))}
          aria-pressed={room.forge?.open ?? false}
          data-testid="toggle-forge"
          className={`${button} min-h-12 border-2 text-base ${
            room.forge?.open
              ? "border-fake bg-fake text-white hover:brightness-110"
              : "border-fake/50 bg-white text-fake hover:bg-fake-soft"
          }`}
        >
          {busy === "forge" ? <Spinner /> : null}
          {room.forge?.open ? "Close the forge" : "Open the forge: students forge fakes"}
        </button>
      ) : null}
      {(room.forge?.submitted ?? 0) > 0 && !inRound ? (
        <p className="text-sm text-slate-600" data-testid="forgeries-waiting">
          {room.forge!.submitted} {room.forge!.submitted === 1 ? "forgery" : "forgeries"} will hide
          in the next round.
        </p>
      ) : null}
      {!room.trainer.hasGenerator && !inRound ? (
        <p className="text-sm text-slate-500">Rounds need fakes: start training first.</p>
      ) : null}
      {message ? (
        <div
          role="alert"
          className="flex items-start gap-2 rounded-xl bg-rose-50 p-3 text-rose-800"
        >
          <p className="flex-1">{message}</p>
          <button type="button" onClick={onDismiss} className="font-bold" aria-label="Dismiss">
            ×
          </button>
        </div>
      ) : null}
      <div className="grid grid-cols-2 gap-2">
        <button
          type="button"
          disabled={busy !== null}
          onClick={() => run("lock", () => act("host:lock", { locked: !room.locked }))}
          aria-pressed={room.locked}
          className={`${button} min-h-12 border-2 border-slate-300 bg-white text-base hover:bg-slate-50`}
        >
          <LockIcon open={room.locked} />
          {room.locked ? "Unlock room" : "Lock room"}
        </button>
        {confirmEnd ? (
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => run("end", () => act("host:end", {}))}
            className={`${button} min-h-12 bg-rose-700 text-base text-white hover:bg-rose-600`}
          >
            {busy === "end" ? <Spinner className="border-white" /> : null}
            Yes, end it
          </button>
        ) : (
          <button
            type="button"
            onClick={() => setConfirmEnd(true)}
            className={`${button} min-h-12 border-2 border-rose-200 bg-white text-base text-rose-700 hover:bg-rose-50`}
          >
            End session…
          </button>
        )}
      </div>
      {confirmEnd ? (
        <p className="flex items-center justify-between gap-2 text-sm text-slate-600" role="alert">
          End the session for everyone? Scores are kept in past sessions.
          <button
            type="button"
            className="font-semibold text-indigo-700 underline"
            onClick={() => setConfirmEnd(false)}
          >
            Cancel
          </button>
        </p>
      ) : null}
    </section>
  );
}
