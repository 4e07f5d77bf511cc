"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { listSessions, loadPassphrase, savePassphrase, type Listing } from "./_lib/api";
import { PrivacyNote } from "./_components/PrivacyNote";

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)} %`);
const date = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

export function HistoryList() {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState("");

  const load = useCallback(
    (secret: string | null) =>
      listSessions(secret).then(
        (result) => {
          if (secret && !result.teacher) {
            savePassphrase(null);
            setError("That passphrase is not the one this server was given.");
          } else setError(null);
          setListing(result);
        },
        (err: unknown) => setError((err as Error).message),
      ),
    [],
  );

  useEffect(() => {
    void load(loadPassphrase());
  }, [load]);

  const sessions = listing?.sessions ?? [];
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8 sm:px-8 sm:py-12">
      <header className="flex flex-col gap-2">
        <Link href="/" className="text-sm font-semibold text-indigo-700 hover:underline">
          ← Spot the Fake
        </Link>
        <h1 className="text-4xl font-black tracking-tight sm:text-5xl">Past sessions</h1>
        <p className="max-w-2xl text-slate-600">
          The classes you hosted and the runs you saved in this browser. Only you see them: a class
          opens with the host key your browser kept when you started it.
        </p>
      </header>

      <PrivacyNote />

      {error ? (
        <p role="alert" className="rounded-xl bg-red-50 px-4 py-3 font-semibold text-red-800">
          {error}
        </p>
      ) : null}

      {listing === null && !error ? (
        <p className="text-slate-500">Loading…</p>
      ) : listing && sessions.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">
          No sessions here yet. Host a class or save a studio run from this browser, and it will be
          listed here.
        </p>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Sessions">
          {sessions.map((s) => (
            <li key={`${s.kind}-${s.id}`}>
              <Link
                href={`/history/${s.kind}/${s.id}`}
                className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-indigo-300 hover:shadow sm:flex-row sm:items-center sm:gap-6 sm:p-5"
              >
                <div className="min-w-0 flex-1">
                  <p className="truncate text-xl font-bold">{s.title}</p>
                  <p className="text-sm text-slate-500">
                    {date(s.createdAt)} · {s.kind === "room" ? "class" : "solo run"}
                    {s.access === "teacher" ? " · via passphrase" : ""}
                  </p>
                </div>
                <dl className="grid grid-cols-3 gap-x-5 gap-y-2 text-sm sm:grid-cols-5">
                  {[
                    ["Players", s.kind === "room" ? String(s.players) : "—"],
                    ["Rounds", s.kind === "room" ? String(s.rounds) : "—"],
                    ["Steps", s.stepsReached?.toLocaleString("en") ?? "—"],
                    ["Class", pct(s.classAccuracy)],
                    ["Police", pct(s.policeAccuracy)],
                  ].map(([label, value]) => (
                    <div key={label} className="flex flex-col">
                      <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
                        {label}
                      </dt>
                      <dd className="font-mono text-lg font-bold tabular-nums">{value}</dd>
                    </div>
                  ))}
                </dl>
              </Link>
            </li>
          ))}
        </ul>
      )}

      <form
        className="flex flex-col gap-2 rounded-2xl bg-slate-100 p-4 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const value = passphrase.trim();
          if (!value) return;
          savePassphrase(value);
          void load(value);
        }}
      >
        <label className="flex flex-1 flex-col gap-1 text-sm font-semibold text-slate-700">
          Teacher passphrase (optional: shows every session on this server)
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="current-password"
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal"
          />
        </label>
        <button
          type="submit"
          className="rounded-lg bg-slate-900 px-4 py-2 font-semibold text-white hover:bg-slate-700"
        >
          Show all
        </button>
      </form>
    </main>
  );
}
