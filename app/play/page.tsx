import type { Metadata } from "next";
import Link from "next/link";
import { JoinCodeForm } from "../_components/JoinCodeForm";

export const metadata: Metadata = { title: "Join a game — Spot the Fake" };

/** What the projector tells students to open: just the code box, big, for a phone. */
export default function JoinPage() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-5 py-10">
      <h1 className="text-4xl font-black tracking-tight">
        Spot the <span className="text-fake">Fake</span>
      </h1>
      <p className="text-lg text-slate-600">
        Type the code on your teacher&apos;s screen to play police against the counterfeiter.
      </p>
      <div className="rounded-3xl border border-slate-200 bg-white p-6 shadow-sm">
        <JoinCodeForm />
      </div>
      <Link href="/" className="text-sm text-indigo-700 hover:underline">
        What is this?
      </Link>
    </main>
  );
}
