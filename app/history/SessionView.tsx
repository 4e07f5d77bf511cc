"use client";

import Link from "next/link";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { Leaderboard } from "@/app/_components/Leaderboard";
import type { LeaderboardEntry } from "@/lib/protocol";
import { download, exportUrls, loadSession, secretFor, type SessionDetail } from "./_lib/api";
import { AccuracyChart } from "./_components/AccuracyChart";
import { DeletePanel } from "./_components/DeletePanel";
import { PrivacyNote } from "./_components/PrivacyNote";
import { Rejudge } from "./_components/Rejudge";
import { SnapshotTimeline } from "./_components/SnapshotTimeline";
import { TrainingCurves } from "./_components/TrainingCurves";

function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex min-w-0 flex-col gap-4 rounded-3xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
    >
      <h2 id={`${id}-title`} className="text-2xl font-black">
        {title}
      </h2>
      {children}
    </section>
  );
}

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)} %`);

type Phase =
  | { kind: "loading" }
  | { kind: "missing"; message: string }
  | { kind: "ready"; detail: SessionDetail; secret: string }
  | { kind: "deleted"; counts: Record<string, number> };

export function SessionView({ kind, id }: { kind: string; id: string }) {
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [notice, setNotice] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const secret = await secretFor(kind, id);
      if (!secret) {
        return setPhase({
          kind: "missing",
          message:
            "This browser holds no key for this session (or it was deleted). Open it from the browser that hosted it, or enter the teacher passphrase on the list page.",
        });
      }
      const detail = await loadSession(kind, id, secret);
      if (!cancelled) setPhase({ kind: "ready", detail, secret });
    })().catch((err: unknown) => {
      if (!cancelled) setPhase({ kind: "missing", message: (err as Error).message });
    });
    return () => {
      cancelled = true;
    };
  }, [kind, id]);

  const onError = useCallback((message: string) => setNotice(message), []);

  const back = (
    <Link href="/history" className="text-sm font-semibold text-indigo-700 hover:underline">
      ← All sessions
    </Link>
  );
  if (phase.kind === "loading") {
    return <main className="mx-auto max-w-6xl px-4 py-10 text-slate-500 sm:px-8">Loading…</main>;
  }
  if (phase.kind === "missing" || phase.kind === "deleted") {
    return (
      <main className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-10 sm:px-8">
        {back}
        {phase.kind === "missing" ? (
          <p role="alert" className="rounded-2xl bg-amber-50 p-5 text-amber-950">
            {phase.message}
          </p>
        ) : (
          <div role="status" className="rounded-2xl bg-emerald-50 p-5 text-emerald-950">
            <p className="text-xl font-bold">The session is deleted.</p>
            <p>
              Erased from the server:{" "}
              {Object.entries(phase.counts)
                .filter(([, n]) => n > 0)
                .map(([table, n]) => `${n} ${table}`)
                .join(", ")}
              .
            </p>
          </div>
        )}
      </main>
    );
  }

  const { detail, secret } = phase;
  const s = detail.session;
  const exportFile = async (what: "csv" | "json") => {
    setExporting(what);
    setNotice(null);
    try {
      const url = what === "csv" ? exportUrls.csv(s.id) : exportUrls.json(s.kind, s.id);
      await download(url, secret, `session.${what}`);
    } catch (err) {
      setNotice(`The export failed: ${(err as Error).message}`);
    } finally {
      setExporting(null);
    }
  };
  const facts: [string, string][] = [
    [
      "Date",
      new Date(s.createdAt).toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" }),
    ],
    ...(s.kind === "room"
      ? ([
          ["Players", String(s.players)],
          ["Rounds", String(s.rounds)],
        ] as [string, string][])
      : []),
    ["Steps reached", s.stepsReached?.toLocaleString("en") ?? "—"],
    ...(s.kind === "room"
      ? ([
          ["Class accuracy", pct(s.classAccuracy)],
          ["Police accuracy", pct(s.policeAccuracy)],
        ] as [string, string][])
      : []),
  ];

  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8 sm:px-8 sm:py-12">
      <header className="flex flex-col gap-3">
        {back}
        <h1 className="text-4xl font-black tracking-tight sm:text-5xl">{s.title}</h1>
        <dl className="flex flex-wrap gap-x-8 gap-y-3">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
                {label}
              </dt>
              <dd className="text-lg font-bold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </header>

      {notice ? (
        <p role="alert" className="rounded-xl bg-red-50 px-4 py-3 font-semibold text-red-800">
          {notice}
        </p>
      ) : null}

      {s.kind === "room" ? (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <Section title="Final leaderboard" id="leaderboard">
            <Leaderboard
              entries={detail.leaderboard as LeaderboardEntry[]}
              limit={50}
              showFooled={detail.leaderboard.some((e) => e.fooled > 0)}
            />
          </Section>
          <Section title="The class vs the police, round by round" id="accuracy">
            {detail.rounds.length ? (
              <AccuracyChart rounds={detail.rounds} />
            ) : (
              <p className="text-slate-600">No round was revealed in this session.</p>
            )}
          </Section>
        </div>
      ) : null}

      {s.kind === "room" && detail.rounds.length ? (
        <Section title="Re-judge old fakes" id="rejudge">
          <p className="text-sm text-slate-600">
            Replay a round&apos;s images on this screen and see whether you are a better police now
            than the class and the network were then.
          </p>
          <Rejudge roomId={s.id} rounds={detail.rounds} secret={secret} />
        </Section>
      ) : null}

      <Section title="Training" id="training">
        <TrainingCurves metrics={detail.metrics} />
      </Section>

      <Section title="Snapshot timeline" id="timeline">
        <SnapshotTimeline snapshots={detail.snapshots} secret={secret} onError={onError} />
      </Section>

      <Section title="Export" id="export">
        <div className="flex flex-wrap gap-2">
          {s.kind === "room" ? (
            <button
              type="button"
              onClick={() => void exportFile("csv")}
              disabled={exporting !== null}
              className="rounded-xl bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
            >
              {exporting === "csv" ? "Preparing…" : "Answers per image (CSV)"}
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => void exportFile("json")}
            disabled={exporting !== null}
            className="rounded-xl bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
          >
            {exporting === "json" ? "Preparing…" : "Whole session (JSON)"}
          </button>
        </div>
        <p className="text-sm text-slate-600">
          The CSV has one row per answer: round, image, real or fake, the verdict, whether it was
          right, the time taken, the points and the police&apos;s probability. The sample grid of
          any step downloads as PNG from the timeline above.
        </p>
      </Section>

      <Section title="Delete" id="delete">
        <PrivacyNote />
        <DeletePanel
          session={s}
          secret={secret}
          onDeleted={(counts) => setPhase({ kind: "deleted", counts })}
        />
      </Section>
    </main>
  );
}
