"use client";

import type { GanConfig, LiveOverrides } from "@/lib/gan/config";
import { Panel } from "./Panel";

type Key = keyof LiveOverrides;

const CHOICES: Record<Key, number[]> = {
  dStepsPerGStep: [1, 2, 3, 5],
  gLearningRate: [5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3],
  dLearningRate: [5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3],
  batchSize: [8, 16, 32, 64, 128],
  labelSmoothing: [0, 0.1, 0.2, 0.3],
};

const LABELS: Record<Key, { label: string; hint: string }> = {
  dStepsPerGStep: {
    label: "k: D steps per G step",
    hint: "More D steps make the police stronger.",
  },
  dLearningRate: { label: "D learning rate", hint: "How far D moves per step." },
  gLearningRate: { label: "G learning rate", hint: "How far G moves per step." },
  batchSize: { label: "Batch size", hint: "Images per step: bigger is steadier but slower." },
  labelSmoothing: {
    label: "Label smoothing",
    hint: "Real label 1 − s: keeps D from being over-sure.",
  },
};

const format = (key: Key, v: number) =>
  key.endsWith("LearningRate")
    ? v
        .toExponential(0)
        .replace("e-", " × 10⁻")
        .replace(/⁻(\d)/, (_, d: string) => `⁻${"⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)]}`)
    : String(v);

/** Settings that change while training runs (no new weights needed). */
export function SettingsPanel({
  config,
  onChange,
}: {
  config: GanConfig | null;
  onChange: (o: LiveOverrides) => void;
}) {
  return (
    <Panel
      id="settings"
      title="Settings"
      explain="Change them while it trains and watch the balance check: a stronger or faster police (higher k, higher D learning rate) can crush the counterfeiter."
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {(Object.keys(CHOICES) as Key[]).map((key) => {
          const current = config?.[key];
          const options = [...CHOICES[key]];
          if (current !== undefined && !options.includes(current)) options.push(current);
          options.sort((a, b) => a - b);
          return (
            <label key={key} className="flex flex-col gap-1 text-sm">
              <span className="font-semibold text-slate-800">{LABELS[key].label}</span>
              <select
                value={current ?? ""}
                disabled={!config}
                onChange={(e) => onChange({ [key]: Number(e.target.value) })}
                className="rounded-lg border border-slate-300 bg-white px-2 py-2"
                data-testid={`setting-${key}`}
              >
                {options.map((v) => (
                  <option key={v} value={v}>
                    {format(key, v)}
                  </option>
                ))}
              </select>
              <span className="text-xs text-slate-500">{LABELS[key].hint}</span>
            </label>
          );
        })}
      </div>
    </Panel>
  );
}
