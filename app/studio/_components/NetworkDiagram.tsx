import { LockIcon } from "@/app/_components/Icons";
import type { Fingerprints, LastAction } from "../_lib/useStudioTrainer";

type Role = "training" | "frozen" | "both";

function NetBox({
  net,
  name,
  role,
  fingerprint,
  previous,
}: {
  net: "G" | "D";
  name: string;
  role: Role;
  fingerprint: string | undefined;
  previous: string | undefined;
}) {
  const changed = fingerprint !== undefined && previous !== undefined && fingerprint !== previous;
  const tone =
    role === "frozen"
      ? "border-dashed border-slate-300 bg-slate-50 text-slate-500"
      : role === "training"
        ? "border-indigo-600 bg-indigo-50 ring-4 ring-indigo-200"
        : "border-slate-300 bg-white";
  return (
    <div
      className={`flex min-w-0 flex-1 flex-col gap-1 rounded-xl border-2 p-3 ${tone}`}
      data-testid={`net-${net}`}
      data-role={role}
      data-fingerprint={fingerprint ?? ""}
    >
      <div className="flex items-center justify-between gap-2">
        <span className="text-2xl font-black">{net}</span>
        {role === "frozen" && (
          <span className="inline-flex items-center gap-1 text-xs font-bold tracking-wide uppercase">
            <LockIcon className="size-3.5" /> Frozen
          </span>
        )}
        {role === "training" && (
          <span className="text-xs font-bold tracking-wide text-indigo-700 uppercase">
            Learning
          </span>
        )}
      </div>
      <span className="text-sm">{name}</span>
      {fingerprint && (
        <span className="truncate font-mono text-xs" title="Fingerprint of the trainable weights">
          weights #{fingerprint}{" "}
          {previous !== undefined &&
            (changed ? (
              <strong className="text-indigo-700">changed</strong>
            ) : (
              <span>unchanged</span>
            ))}
        </span>
      )}
    </div>
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
    <span className="self-center text-xl text-slate-400" aria-hidden>
      →
    </span>
  );
  return (
    <div
      className="flex flex-col gap-2"
      data-testid="network-diagram"
      data-last-action={lastAction ?? ""}
    >
      <div className="flex items-stretch gap-2 text-center">
        <div className="flex flex-col justify-center rounded-xl bg-slate-100 px-2 py-3 text-sm">
          noise
          <br />z
        </div>
        {arrow}
        <NetBox
          net="G"
          name="Generator"
          role={g}
          fingerprint={fingerprints?.G}
          previous={previous?.G}
        />
        {arrow}
        <NetBox
          net="D"
          name="Discriminator"
          role={d}
          fingerprint={fingerprints?.D}
          previous={previous?.D}
        />
        {arrow}
        <div className="flex flex-col justify-center rounded-xl bg-slate-100 px-2 py-3 text-sm">
          P(real)
        </div>
      </div>
      <p className="text-sm text-slate-600" aria-live="polite">
        {caption}
      </p>
    </div>
  );
}
