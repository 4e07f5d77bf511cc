import { Spinner } from "@/app/_components/ConnectionBanner";
import type { TrainerPhase } from "@/app/_lib/useHostTrainer";
import type { RoomState } from "@/lib/protocol";

const pill = "flex items-center gap-2 rounded-full px-3 py-1 font-semibold";

/** Whether the counterfeiter is learning right now, or the room runs on its last snapshot. */
export function TrainerStatus({
  trainer,
  local,
}: {
  /** What the server knows: a trainer connected, its last step, whether fakes exist. */
  trainer: RoomState["trainer"];
  /** This browser's own trainer. */
  local: TrainerPhase;
}) {
  if (!trainer.hasGenerator) {
    return local === "starting" || local === "running" ? (
      <span className={`${pill} bg-emerald-50 text-emerald-800`} role="status">
        <Spinner className="border-emerald-600" /> Training started — first fakes soon
      </span>
    ) : (
      <span className={`${pill} bg-slate-100 text-slate-600`} role="status">
        No fakes yet — start training
      </span>
    );
  }
  if (trainer.connected && local === "running") {
    return (
      <span className={`${pill} bg-emerald-50 text-emerald-800`} role="status">
        <span className="size-2.5 animate-pulse rounded-full bg-emerald-500" aria-hidden />
        Training · step {trainer.step}
      </span>
    );
  }
  if (trainer.connected && local === "paused") {
    return (
      <span className={`${pill} bg-slate-100 text-slate-700`} role="status">
        Training paused · rounds use step {trainer.step}
      </span>
    );
  }
  return (
    <span className={`${pill} bg-amber-100 text-amber-900`} role="status">
      {trainer.connected ? "Not training" : "Trainer disconnected"} — continuing with the last
      snapshot (step {trainer.step})
    </span>
  );
}
