import type { Metadata } from "next";
import Link from "next/link";
import { RoomCode } from "@/lib/protocol/schemas";
import { PlayApp } from "./PlayApp";

export const metadata: Metadata = { title: "Play — Spot the Fake" };

export default async function PlayPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const parsed = RoomCode.safeParse(decodeURIComponent(code));
  if (!parsed.success) {
    return (
      <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-5">
        <h1 className="text-3xl font-black">That code doesn&apos;t look right</h1>
        <p className="text-lg text-slate-600">
          A join code is 6 letters and digits, like K7QX2M. Check the teacher&apos;s screen.
        </p>
        <Link
          href="/"
          className="rounded-xl bg-indigo-600 px-5 py-4 text-center text-lg font-semibold text-white"
        >
          Enter the code again
        </Link>
      </main>
    );
  }
  return <PlayApp code={parsed.data} />;
}
