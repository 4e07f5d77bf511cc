import Link from "next/link";
import { Spinner } from "@/app/_components/ConnectionBanner";
import type { HostStage } from "@/app/_lib/useHostRoom";

interface Props {
  stage: HostStage;
  code: string | null;
  message: string | null;
  online: boolean;
  onCreate: () => void;
}

/** Before the projector view: create a room, or explain why an old one cannot be resumed. */
export function StartScreen({ stage, code, message, online, onCreate }: Props) {
  const busy = stage === "creating" || stage === "resuming" || (!online && stage !== "fatal");
  let title = "Host a class";
  let body =
    "Create a room, put this page on the projector, and let students join from their phones.";
  if (stage === "resuming") {
    title = `Returning to room ${code}…`;
    body = "Reconnecting with the host key this browser saved.";
  } else if (stage === "no-token") {
    title = `Can't open room ${code ?? ""}`;
    body =
      message ??
      "This browser did not create that room, so it has no host key for it. Create a new room instead.";
  } else if (stage === "ended") {
    title = "This session has ended";
    body = "Thanks for playing! The results are kept in past sessions until you delete them.";
  } else if (stage === "fatal") {
    title = "Please reload";
    body = message ?? "This page is out of date.";
  }
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col justify-center gap-8 px-6 py-12">
      <p className="text-sm font-semibold tracking-widest text-indigo-600 uppercase">
        Spot the <span className="text-fake">Fake</span> · teacher
      </p>
      <div className="flex flex-col gap-4">
        <h1 className="text-5xl font-black tracking-tight">{title}</h1>
        <p className="text-xl text-slate-600">{body}</p>
        {message && stage !== "no-token" && stage !== "fatal" ? (
          <p role="alert" className="rounded-xl bg-rose-50 p-3 text-rose-800">
            {message}
          </p>
        ) : null}
      </div>
      {stage === "ended" ? (
        <div className="flex gap-3">
          <Link
            href="/history"
            className="rounded-2xl bg-slate-900 px-6 py-4 text-xl font-bold text-white"
          >
            Past sessions
          </Link>
          <a
            href="/host"
            className="rounded-2xl border-2 border-slate-300 px-6 py-4 text-xl font-bold"
          >
            New room
          </a>
        </div>
      ) : stage === "fatal" ? (
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="self-start rounded-2xl bg-indigo-600 px-8 py-5 text-2xl font-bold text-white"
        >
          Reload
        </button>
      ) : stage === "resuming" ? (
        <p className="flex items-center gap-3 text-lg" role="status">
          <Spinner /> Resuming…
        </p>
      ) : (
        <button
          type="button"
          onClick={onCreate}
          disabled={busy}
          className="flex items-center justify-center gap-3 self-start rounded-2xl bg-indigo-600 px-8 py-5 text-2xl font-bold text-white shadow-lg transition hover:bg-indigo-500 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        >
          {busy ? <Spinner className="border-white" /> : null}
          {stage === "creating" ? "Creating…" : !online ? "Connecting…" : "Create a room"}
        </button>
      )}
      <ol className="grid gap-4 text-slate-600 sm:grid-cols-3">
        <li>
          <strong className="block text-ink">1 · Train</strong>
          Your browser trains the counterfeiter while the room is open.
        </li>
        <li>
          <strong className="block text-ink">2 · Play rounds</strong>
          Students label digits as real or fake against a deadline.
        </li>
        <li>
          <strong className="block text-ink">3 · Compare</strong>
          The class versus the police network, round after round.
        </li>
      </ol>
    </main>
  );
}
