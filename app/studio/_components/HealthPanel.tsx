import type { HealthCheck } from "../_lib/studioHealth";
import { HEALTH_FROM_STEP } from "../_lib/studioHealth";
import { Panel } from "./Panel";

const TONE = {
  ok: { box: "border-emerald-200 bg-emerald-50", mark: "✓", label: "OK", text: "text-emerald-800" },
  warn: { box: "border-amber-300 bg-amber-50", mark: "!", label: "Watch", text: "text-amber-900" },
  alert: { box: "border-rose-300 bg-rose-50", mark: "!!", label: "Alert", text: "text-rose-900" },
} as const;

/** D too strong, G far ahead, mode collapse: each with the student-facing explanation. */
export function HealthPanel({ checks }: { checks: HealthCheck[] | null }) {
  return (
    <Panel
      id="health"
      title="Balance check"
      explain="Both players must stay at a similar skill. Police that always win give the counterfeiter no hint how to improve; police that always lose teach it nothing true."
    >
      {checks === null ? (
        <p className="text-sm text-slate-500">
          Every GAN starts unbalanced; checks begin at step {HEALTH_FROM_STEP}.
        </p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="health">
          {checks.map((c) => {
            const t = TONE[c.status];
            return (
              <li
                key={c.id}
                className={`rounded-lg border p-3 ${t.box}`}
                data-status={c.status}
                role={c.status === "alert" ? "alert" : undefined}
              >
                <p className={`flex items-center gap-2 font-semibold ${t.text}`}>
                  <span
                    className="inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-white px-1 text-xs font-black"
                    aria-hidden
                  >
                    {t.mark}
                  </span>
                  <span className="sr-only">{t.label}: </span>
                  {c.title}
                </p>
                {c.status !== "ok" && (
                  <p className="mt-1 text-sm text-slate-700">{c.explanation}</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
