import type { RoomState } from "@/lib/protocol";

/** Whether the counterfeiter is learning right now, or the room runs on its last snapshot. */
export function TrainerStatus({ trainer }: { trainer: RoomState["trainer"] }) {
  if (trainer.connected && !trainer.hasGenerator) {
    return (
      <span
        className="rounded-full bg-slate-100 px-3 py-1 font-semibold text-slate-600"
        role="status"
      >
        No fakes yet — start training
      </span>
    );
  }
  if (trainer.connected) {
    return (
      <span
        className="flex items-center gap-2 rounded-full bg-emerald-50 px-3 py-1 font-semibold text-emerald-800"
        role="status"
      >
        <span className="size-2.5 animate-pulse rounded-full bg-emerald-500" aria-hidden />
        Training · step {trainer.step}
      </span>
    );
  }
  if (trainer.hasGenerator) {
    return (
      <span
        className="rounded-full bg-amber-100 px-3 py-1 font-semibold text-amber-900"
        role="status"
      >
        Trainer disconnected — continuing with the last snapshot (step {trainer.step})
      </span>
    );
  }
  return (
    <span
      className="rounded-full bg-slate-100 px-3 py-1 font-semibold text-slate-600"
      role="status"
    >
      No counterfeiter yet — start training
    </span>
  );
}
