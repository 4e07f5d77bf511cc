"use client";

/** Shown while the socket is down; socket.io reconnects on its own with backoff. */
export function ConnectionBanner({
  online,
  everConnected,
}: {
  online: boolean;
  everConnected: boolean;
}) {
  if (online) return null;
  return (
    <div
      role="status"
      className="sticky top-0 z-20 flex items-center justify-center gap-3 bg-amber-100 px-4 py-2.5 text-sm font-semibold text-amber-900 shadow"
    >
      <Spinner className="border-amber-700" />
      {everConnected ? "Connection lost — reconnecting…" : "Connecting to the game…"}
    </div>
  );
}

export function Spinner({ className = "border-indigo-600" }: { className?: string }) {
  return (
    <span
      aria-hidden
      className={`inline-block size-4 shrink-0 animate-spin rounded-full border-2 border-t-transparent ${className}`}
    />
  );
}
