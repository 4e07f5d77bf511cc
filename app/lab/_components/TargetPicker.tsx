"use client";

import { memo } from "react";
import type { LabConfig } from "@/lib/lab/config";
import { TARGET_KINDS, TARGET_LABELS, type TargetKind } from "@/lib/lab/targets";
import { Panel } from "@/app/studio/_components/Panel";

/** Tiny pictures of each target, so the choice is visual. */
const ICONS: Record<TargetKind, React.ReactNode> = {
  ring: <circle cx="12" cy="12" r="7" fill="none" strokeWidth="2.5" />,
  moons: <path d="M3 13a6 6 0 0 1 12 0M9 11a6 6 0 0 0 12 0" fill="none" strokeWidth="2.5" />,
  gaussians: (
    <g stroke="none">
      {Array.from({ length: 8 }, (_, i) => (
        <circle
          key={i}
          cx={12 + 7 * Math.cos((i * Math.PI) / 4)}
          cy={12 + 7 * Math.sin((i * Math.PI) / 4)}
          r="1.8"
        />
      ))}
    </g>
  ),
  spiral: (
    <path
      d="M12 12a1.5 1.5 0 0 1 3 0 3 3 0 0 1-6 0 4.5 4.5 0 0 1 9 0 6 6 0 0 1-12 0"
      fill="none"
      strokeWidth="2"
    />
  ),
  line: <path d="M4 17 20 7" strokeWidth="2.5" />,
  gaussian: <circle cx="14" cy="10" r="5" stroke="none" opacity="0.8" />,
  custom: (
    <path d="M4 18c3-8 5 2 8-6s5 3 8-4" fill="none" strokeWidth="2.5" strokeDasharray="2 3" />
  ),
};

export const TargetPicker = memo(function TargetPicker({
  config,
  onChange,
}: {
  config: LabConfig;
  onChange: (patch: Partial<LabConfig>) => void;
}) {
  return (
    <Panel
      id="target"
      title="Real data"
      explain="The distribution the counterfeiter must learn to forge. Changing it starts fresh networks."
    >
      <div
        role="radiogroup"
        aria-label="Real data"
        className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-2"
      >
        {TARGET_KINDS.map((kind) => {
          const active = config.target === kind;
          return (
            <button
              key={kind}
              type="button"
              role="radio"
              aria-checked={active}
              onClick={() => onChange({ target: kind })}
              className={`flex items-center gap-2 rounded-xl border px-3 py-2 text-left text-sm font-semibold transition focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 ${
                active
                  ? "border-indigo-500 bg-indigo-50 text-indigo-950 ring-1 ring-indigo-500"
                  : "border-slate-200 bg-white text-slate-700 hover:bg-slate-50"
              }`}
            >
              <svg
                viewBox="0 0 24 24"
                className="size-6 shrink-0"
                aria-hidden
                stroke="#1d4ed8"
                fill="#1d4ed8"
                strokeLinecap="round"
              >
                {ICONS[kind]}
              </svg>
              {TARGET_LABELS[kind]}
            </button>
          );
        })}
      </div>
    </Panel>
  );
});
