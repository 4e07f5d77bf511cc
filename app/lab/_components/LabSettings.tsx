"use client";

import { memo } from "react";
import { RESET_FIELDS, type LabConfig } from "@/lib/lab/config";
import { Panel } from "@/app/studio/_components/Panel";

type Choice = { value: string | number; label: string };
interface Field {
  key: keyof LabConfig;
  label: string;
  hint: string;
  choices: Choice[];
}

const nums = (values: number[], fmt: (v: number) => string = String): Choice[] =>
  values.map((v) => ({ value: v, label: fmt(v) }));
const RATES = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05];

const TRAINING: Field[] = [
  {
    key: "dStepsPerGStep",
    label: "k: D steps per G step",
    hint: "More D steps make the police stronger.",
    choices: nums([1, 2, 3, 5, 10, 20]),
  },
  {
    key: "dLearningRate",
    label: "D learning rate",
    hint: "How far D moves per step.",
    choices: nums(RATES),
  },
  {
    key: "gLearningRate",
    label: "G learning rate",
    hint: "How far G moves per step.",
    choices: nums(RATES),
  },
  {
    key: "optimizer",
    label: "Optimiser",
    hint: "Adam (β₁ 0.5) as for the digits; plain SGD; RMSProp.",
    choices: [
      { value: "adam", label: "Adam" },
      { value: "sgd", label: "SGD" },
      { value: "rmsprop", label: "RMSProp" },
    ],
  },
  {
    key: "gLoss",
    label: "G's loss",
    hint: "Minimax is the original paper's log(1 − D(G(z))).",
    choices: [
      { value: "nonSaturating", label: "Fakes → real (course)" },
      { value: "minimax", label: "Minimax" },
    ],
  },
  {
    key: "batchSize",
    label: "Batch size",
    hint: "Points per step.",
    choices: nums([32, 64, 128, 256]),
  },
];

const NETWORKS: Field[] = [
  {
    key: "noiseDim",
    label: "Noise dimension",
    hint: "Size of z. With 1, G can only draw a curve.",
    choices: nums([1, 2, 3, 4, 8]),
  },
  {
    key: "activation",
    label: "Hidden activation",
    hint: "ReLU bends in corners; tanh bends smoothly.",
    choices: [
      { value: "relu", label: "ReLU" },
      { value: "tanh", label: "tanh" },
    ],
  },
  { key: "gLayers", label: "G hidden layers", hint: "", choices: nums([1, 2, 3, 4]) },
  { key: "gUnits", label: "G neurons per layer", hint: "", choices: nums([4, 8, 16, 24, 32, 64]) },
  { key: "dLayers", label: "D hidden layers", hint: "", choices: nums([1, 2, 3, 4]) },
  { key: "dUnits", label: "D neurons per layer", hint: "", choices: nums([4, 8, 16, 24, 32, 64]) },
];

function Select({
  field,
  config,
  onChange,
}: {
  field: Field;
  config: LabConfig;
  onChange: (patch: Partial<LabConfig>) => void;
}) {
  const current = config[field.key] as string | number;
  const choices = field.choices.some((c) => c.value === current)
    ? field.choices
    : [...field.choices, { value: current, label: String(current) }];
  const numeric = typeof current === "number";
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-semibold text-slate-800">{field.label}</span>
      <select
        value={String(current)}
        onChange={(e) =>
          onChange({ [field.key]: numeric ? Number(e.target.value) : e.target.value })
        }
        className="rounded-lg border border-slate-300 bg-white px-2 py-2"
        data-testid={`lab-setting-${field.key}`}
      >
        {choices.map((c) => (
          <option key={String(c.value)} value={String(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
      {field.hint && <span className="text-xs text-slate-500">{field.hint}</span>}
    </label>
  );
}

/** Settings: training ones apply at once; network ones restart with fresh weights. */
export const LabSettings = memo(function LabSettings({
  config,
  onChange,
}: {
  config: LabConfig;
  onChange: (patch: Partial<LabConfig>) => void;
}) {
  const resets = RESET_FIELDS as readonly string[];
  return (
    <Panel
      id="lab-settings"
      title="Settings"
      explain="Training settings apply while it runs. Network settings start fresh networks."
    >
      <div className="grid grid-cols-2 gap-3">
        {TRAINING.map((f) => (
          <Select key={f.key} field={f} config={config} onChange={onChange} />
        ))}
      </div>
      <h3 className="mt-2 text-sm font-bold text-slate-800">Networks (restart)</h3>
      <div className="grid grid-cols-2 gap-3">
        {NETWORKS.filter((f) => resets.includes(f.key)).map((f) => (
          <Select key={f.key} field={f} config={config} onChange={onChange} />
        ))}
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-semibold text-slate-800">Seed</span>
          <span className="flex gap-1">
            <input
              type="number"
              min={0}
              value={config.seed}
              onChange={(e) => {
                const v = Math.trunc(Number(e.target.value));
                if (Number.isFinite(v) && v >= 0 && v < 2 ** 31) onChange({ seed: v });
              }}
              className="w-full min-w-0 rounded-lg border border-slate-300 bg-white px-2 py-2 tabular-nums"
            />
            <button
              type="button"
              onClick={() => onChange({ seed: Math.floor(Math.random() * 1e6) })}
              className="rounded-lg border border-slate-300 bg-white px-2 text-xs font-semibold hover:bg-slate-50"
              title="A new random seed"
            >
              New
            </button>
          </span>
          <span className="text-xs text-slate-500">Same seed, same run.</span>
        </label>
      </div>
    </Panel>
  );
});
