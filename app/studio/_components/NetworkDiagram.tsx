import { LockIcon } from "@/app/_components/Icons";
import type { Fingerprints, LastAction } from "../_lib/useStudioTrainer";

type Role = "training" | "frozen" | "both";

function NetBox({
  net,
  name,
  role,
  fingerprint,
}: {
  net: "G" | "D";
  name: string;
  role: Role;
  fingerprint: string | undefined;
}) {
  const tone =
    role === "frozen"
      ? "border-dashed border-slate-300 bg-slate-50 text-slate-500"
      : role === "training"
        ? "border-indigo-600 bg-indigo-50 ring-4 ring-indigo-200"
        : "border-slate-300 bg-white";
  return (
    <div
      className={`flex min-w-0 flex-1 flex-col items-center justify-center gap-0.5 rounded-xl border-2 px-1 py-2 ${tone}`}
      data-testid={`net-${net}`}
      data-role={role}
      data-fingerprint={fingerprint ?? ""}
    >
      <span className="text-2xl leading-none font-black">{net}</span>
      <span className="max-w-full text-xs leading-tight break-words">{name}</span>
      {role === "frozen" && (
        <span className="inline-flex items-center gap-1 text-[0.7rem] font-bold tracking-wide uppercase">
          <LockIcon className="size-3" /> Frozen
        </span>
      )}
      {role === "training" && (
        <span className="text-[0.7rem] font-bold tracking-wide text-indigo-700 uppercase">
          Learning
        </span>
      )}
    </div>
  );
}

function WeightsLine({
  net,
  now,
  before,
}: {
  net: "G" | "D";
  now: string | undefined;
  before: string | undefined;
}) {
  if (!now) return null;
  const changed = before !== undefined && before !== now;
  return (
    <li className="flex items-baseline justify-between gap-2">
      <span>
        {net}&apos;s weights <span className="font-mono text-xs">#{now}</span>
      </span>
      {before !== undefined &&
        (changed ? (
          <strong className="text-indigo-700">changed</strong>
        ) : (
          <span className="text-slate-500">unchanged</span>
        ))}
    </li>
  );
}

/** z → G → fake → D → P(real), with the network that the last step froze greyed and locked. */
export function NetworkDiagram({
  lastAction,
  paused,
  fingerprints,
  previous,
}: {
  lastAction: LastAction;
  paused: boolean;
  fingerprints: Fingerprints | null;
  previous: Fingerprints | null;
}) {
  const g: Role = lastAction === "stepD" ? "frozen" : lastAction === "stepG" ? "training" : "both";
  const d: Role = lastAction === "stepG" ? "frozen" : lastAction === "stepD" ? "training" : "both";
  const caption =
    lastAction === "stepD"
      ? "Last: one D step. Real digits labelled 1, fakes labelled 0; only D's weights moved, G was frozen."
      : lastAction === "stepG"
        ? "Last: one G step. Fresh fakes go through D with the label 1 (“real”); only G's weights moved, D was frozen."
        : paused
          ? "Paused. Step D or Step G to run exactly one update of one network."
          : "Training alternates: k D steps (G frozen), then one G step (D frozen).";
  const arrow = (
    <span className="self-center text-slate-400 sm:text-xl" aria-hidden>
      →
    </span>
  );
  return (
    <div
      className="flex flex-col gap-2"
      data-testid="network-diagram"
      data-last-action={lastAction ?? ""}
    >
      <div className="flex items-stretch gap-1 text-center sm:gap-2">
        <div className="flex flex-col justify-center rounded-xl bg-slate-100 px-1.5 py-3 text-xs sm:px-2 sm:text-sm">
          noise
          <br />z
        </div>
        {arrow}
        <NetBox net="G" name="Generator" role={g} fingerprint={fingerprints?.G} />
        {arrow}
        <NetBox net="D" name={"Discrim\u00ADinator"} role={d} fingerprint={fingerprints?.D} />
        {arrow}
        <div className="flex flex-col justify-center rounded-xl bg-slate-100 px-1.5 py-3 text-xs sm:px-2 sm:text-sm">
          P(real)
        </div>
      </div>
      <p className="text-sm text-slate-600" aria-live="polite">
        {caption}
      </p>
      {paused && fingerprints && (
        <ul
          className="flex flex-col gap-0.5 rounded-lg bg-slate-50 px-3 py-2 text-sm"
          aria-label="Fingerprints of the trainable weights since the last update"
        >
          <WeightsLine net="G" now={fingerprints.G} before={previous?.G} />
          <WeightsLine net="D" now={fingerprints.D} before={previous?.D} />
        </ul>
      )}
    </div>
  );
}
