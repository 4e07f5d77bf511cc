"use client";

// The digit G draws, when its categorical code names one (the auxiliary classifier): ten
// buttons, the current one pressed. The forge and the studio's latent explorer use it.

/** Ten buttons: the digit the counterfeiter draws (its code), the current one pressed. */
export function DigitPicker({
  current,
  count,
  onPick,
  legend = "Which digit to forge",
  verb = "Forge",
}: {
  current: number;
  count: number;
  onPick: (digit: number) => void;
  legend?: string;
  /** Buttons are named "<verb> a <digit>". */
  verb?: string;
}) {
  return (
    <fieldset className="flex flex-col gap-1.5 rounded-2xl bg-white p-3 shadow-sm ring-1 ring-slate-200">
      <legend className="float-left mb-1 text-sm font-semibold text-slate-700">{legend}</legend>
      <div className="clear-both grid grid-cols-10 gap-1" data-testid="digit-picker">
        {Array.from({ length: count }, (_, d) => (
          <button
            key={d}
            type="button"
            aria-pressed={d === current}
            aria-label={`${verb} a ${d}`}
            onClick={() => onPick(d)}
            className={`rounded-lg py-2 text-lg font-black tabular-nums transition ${
              d === current
                ? "bg-indigo-600 text-white shadow-sm"
                : "bg-slate-100 text-slate-700 hover:bg-slate-200"
            }`}
          >
            {d}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
