import { Leaderboard } from "@/app/_components/Leaderboard";
import { PHONE_PLAYER_LIST } from "@/lib/game/transition";
import type { PlayerRevealView, RevealView, RoomState } from "@/lib/protocol";
import { MagnifierIcon } from "@/app/_components/Icons";

export function Notice({
  title,
  tone = "neutral",
  children,
}: {
  title: string;
  tone?: "neutral" | "bad";
  children: React.ReactNode;
}) {
  return (
    <section
      className="flex flex-1 flex-col items-center justify-center gap-3 text-center"
      aria-live="polite"
    >
      <h1 className={`text-3xl font-black ${tone === "bad" ? "text-rose-700" : ""}`}>{title}</h1>
      <div className="flex max-w-sm flex-col items-center gap-2 text-lg text-slate-600">
        <p className="flex items-center gap-2">{children}</p>
      </div>
    </section>
  );
}

export function Lobby({ room, nickname }: { room: RoomState | null; nickname: string | null }) {
  const others = room ? room.players.filter((p) => !p.isPolice).length : 0;
  // Phones get at most PHONE_PLAYER_LIST names, so a full list means "at least that many".
  const count = others >= PHONE_PLAYER_LIST ? `${PHONE_PLAYER_LIST}+` : String(others);
  return (
    <section
      className="flex flex-1 flex-col items-center justify-center gap-6 text-center"
      aria-live="polite"
    >
      <div className="relative flex size-24 items-center justify-center">
        <span
          className="absolute inset-0 animate-ping rounded-full bg-indigo-200 opacity-60"
          aria-hidden
        />
        <span
          className="relative flex size-20 items-center justify-center rounded-full bg-indigo-600 text-4xl"
          aria-hidden
        >
          <MagnifierIcon className="size-10 text-white" />
        </span>
      </div>
      <div className="flex flex-col gap-2">
        <h1 className="text-3xl font-black">You&apos;re in{nickname ? `, ${nickname}` : ""}!</h1>
        <p className="text-lg text-slate-600">Waiting for the teacher to start the round…</p>
        {room ? (
          <p className="text-slate-500">
            {count} {others === 1 ? "player" : "players"} in the game
          </p>
        ) : null}
      </div>
      <div className="max-w-sm rounded-2xl bg-white p-4 text-left text-slate-600 shadow-sm">
        <p className="font-semibold text-ink">How to play</p>
        <p>
          You&apos;ll see handwritten digits. Some are real, some were forged by a neural network.
          Tap <strong className="text-real">Real</strong> or{" "}
          <strong className="text-fake">Fake</strong> for each one — fast and right scores most.
        </p>
      </div>
    </section>
  );
}

export function EndScreen({
  reveal,
  result,
  meId,
}: {
  reveal: RevealView | null;
  result: PlayerRevealView | null;
  meId: string | null;
}) {
  return (
    <section className="flex flex-1 flex-col gap-5" aria-live="polite">
      <div className="flex flex-col items-center gap-2 pt-6 text-center">
        <h1 className="text-3xl font-black">The game has ended</h1>
        <p className="text-lg text-slate-600">Thanks for playing police!</p>
        {result ? (
          <p className="text-xl">
            Final score <strong className="font-mono">{result.score}</strong> · rank{" "}
            <strong>
              #{result.rank} of {result.of}
            </strong>
          </p>
        ) : null}
      </div>
      {reveal ? <Leaderboard entries={reveal.leaderboard} meId={meId} limit={5} /> : null}
    </section>
  );
}
