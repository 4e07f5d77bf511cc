"use client";

import { useState } from "react";
import { deleteSession, forgetSession, type SessionSummary } from "../_lib/api";

interface Props {
  session: SessionSummary;
  secret: string;
  onDeleted(counts: Record<string, number>): void;
}

/** Two steps on purpose: deleting cannot be undone. */
export function DeletePanel({ session, secret, onDeleted }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canDelete = session.access === "owner";

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const counts = await deleteSession(session.kind, session.id, secret);
      forgetSession(session.code);
      onDeleted(counts);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  if (!canDelete) {
    return (
      <p className="text-sm text-slate-600">
        You opened this session with the teacher passphrase. Only the browser that ran it (which
        holds its host key) can delete it; otherwise it is purged after the retention period.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      {!asking ? (
        <button
          type="button"
          onClick={() => setAsking(true)}
          className="self-start rounded-xl border border-red-300 bg-white px-4 py-2.5 font-semibold text-red-700 hover:bg-red-50"
        >
          Delete this session…
        </button>
      ) : (
        <div
          role="alertdialog"
          aria-labelledby="delete-title"
          aria-describedby="delete-body"
          className="flex flex-col gap-3 rounded-2xl border-2 border-red-300 bg-red-50 p-4"
        >
          <p id="delete-title" className="text-lg font-bold text-red-900">
            Delete “{session.title}” for good?
          </p>
          <p id="delete-body" className="text-sm text-red-900">
            Every nickname, answer, round, image, snapshot and training curve of this session is
            erased from the server. Download the exports first if you want to keep them.
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              onClick={() => void confirm()}
              disabled={busy}
              className="rounded-xl bg-red-700 px-4 py-2.5 font-semibold text-white hover:bg-red-600 disabled:opacity-50"
            >
              {busy ? "Deleting…" : "Yes, delete everything"}
            </button>
            <button
              type="button"
              onClick={() => setAsking(false)}
              disabled={busy}
              className="rounded-xl border border-slate-300 bg-white px-4 py-2.5 font-semibold hover:bg-slate-50"
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {error ? (
        <p role="alert" className="font-semibold text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
