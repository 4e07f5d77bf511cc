"use client";

import { memo } from "react";
import { LAB_PRESETS, LAB_PRESET_NAMES, type LabPresetName } from "@/lib/lab/presets";
import { Panel } from "@/app/studio/_components/Panel";

/** Ready-made set-ups for the course's points, with what to watch for. */
export const PresetPicker = memo(function PresetPicker({
  active,
  onApply,
}: {
  active: LabPresetName | null;
  onApply: (name: LabPresetName) => void;
}) {
  return (
    <Panel
      id="presets"
      title="Experiments"
      explain="Each one loads a set-up; press Play and watch."
    >
      <ul className="flex flex-col gap-2">
        {LAB_PRESET_NAMES.map((name) => {
          const p = LAB_PRESETS[name];
          const on = active === name;
          return (
            <li
              key={name}
              className={`rounded-xl border p-3 ${on ? "border-indigo-500 bg-indigo-50" : "border-slate-200"}`}
            >
              <div className="flex items-center justify-between gap-2">
                <h3 className="font-semibold">{p.title}</h3>
                <button
                  type="button"
                  onClick={() => onApply(name)}
                  aria-pressed={on}
                  data-testid={`preset-${name}`}
                  className={`rounded-lg px-3 py-1.5 text-sm font-semibold transition focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 ${
                    on
                      ? "bg-indigo-600 text-white"
                      : "border border-slate-300 bg-white hover:bg-slate-50"
                  }`}
                >
                  {on ? "Loaded" : "Load"}
                </button>
              </div>
              {on ? (
                <div className="mt-2 flex flex-col gap-2 text-sm leading-relaxed text-slate-700">
                  <p>{p.explain}</p>
                  <p>
                    <strong>Watch for:</strong> {p.watch}
                  </p>
                </div>
              ) : (
                <p className="mt-1 line-clamp-2 text-sm text-slate-500">{p.explain}</p>
              )}
            </li>
          );
        })}
      </ul>
    </Panel>
  );
});
