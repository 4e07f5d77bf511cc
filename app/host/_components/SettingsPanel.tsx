"use client";

import { useId, useState } from "react";
import type { useHostRoom } from "@/app/_lib/useHostRoom";
import { RoomSettings } from "@/lib/protocol";

type Act = ReturnType<typeof useHostRoom>["act"];

/** Round size and time, λ (how much the counterfeiter tries to fool the class), caught fakes to D. */
export function SettingsPanel({
  settings,
  disabled,
  act,
}: {
  settings: RoomSettings;
  disabled: boolean;
  act: Act;
}) {
  const [draft, setDraft] = useState<RoomSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const current = draft ?? settings;
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(settings);
  const valid = RoomSettings.safeParse(current).success;
  const ids = { size: useId(), time: useId(), lambda: useId(), feed: useId() };
  const set = (patch: Partial<RoomSettings>) => setDraft({ ...current, ...patch });

  async function save() {
    if (!draft) return;
    setSaving(true);
    const res = await act("host:settings", { settings: draft });
    setSaving(false);
    if (res.ok) setDraft(null);
  }

  return (
    <details className="group rounded-3xl bg-white p-4 shadow-sm" open>
      <summary className="cursor-pointer text-lg font-bold">Round settings</summary>
      <form
        className="mt-3 flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="grid grid-cols-2 gap-3">
          <label htmlFor={ids.size} className="flex flex-col gap-1 text-sm font-semibold">
            Images per round
            <input
              id={ids.size}
              type="number"
              min={4}
              max={30}
              value={current.roundSize}
              onChange={(e) => set({ roundSize: Number(e.target.value) })}
              className="rounded-lg border-2 border-slate-300 px-3 py-2 text-lg font-normal"
            />
          </label>
          <label htmlFor={ids.time} className="flex flex-col gap-1 text-sm font-semibold">
            Seconds per round
            <input
              id={ids.time}
              type="number"
              min={5}
              max={120}
              value={current.roundSeconds}
              onChange={(e) => set({ roundSeconds: Number(e.target.value) })}
              className="rounded-lg border-2 border-slate-300 px-3 py-2 text-lg font-normal"
            />
          </label>
        </div>
        <label htmlFor={ids.lambda} className="flex flex-col gap-1 text-sm font-semibold">
          <span className="flex justify-between">
            Fool the class (λ)
            <span className="font-mono">{current.lambda.toFixed(2)}</span>
          </span>
          <input
            id={ids.lambda}
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={current.lambda}
            onChange={(e) => set({ lambda: Number(e.target.value) })}
            className="accent-indigo-600"
          />
          <span className="flex justify-between text-xs font-normal text-slate-500">
            <span>0 · fool the police only</span>
            <span>1 · fool the class only</span>
          </span>
        </label>
        <label htmlFor={ids.feed} className="flex items-center gap-2 text-sm font-semibold">
          <input
            id={ids.feed}
            type="checkbox"
            checked={current.feedCaughtFakes}
            onChange={(e) => set({ feedCaughtFakes: e.target.checked })}
            className="size-5 accent-indigo-600"
          />
          Show the police the fakes the class caught
        </label>
        {dirty ? (
          <div className="flex gap-2">
            <button
              type="submit"
              disabled={saving || !valid}
              className="flex-1 rounded-xl bg-indigo-600 py-2.5 font-bold text-white disabled:opacity-60"
            >
              {saving ? "Saving…" : valid ? "Apply" : "Check the numbers"}
            </button>
            <button
              type="button"
              onClick={() => setDraft(null)}
              className="rounded-xl border-2 border-slate-300 px-4 font-semibold"
            >
              Undo
            </button>
          </div>
        ) : null}
        {disabled && dirty ? (
          <p className="text-xs text-slate-500">Round size and time apply from the next round.</p>
        ) : null}
      </form>
    </details>
  );
}
