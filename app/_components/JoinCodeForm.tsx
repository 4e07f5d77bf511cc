"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { RoomCode } from "@/lib/protocol/schemas";

/** The student's way in: a 6-character code, validated before navigating to /play/CODE. */
export function JoinCodeForm() {
  const router = useRouter();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = RoomCode.safeParse(code);
    if (!parsed.success) {
      setError("A join code is 6 letters and digits, like K7QX2M. Check the teacher's screen.");
      return;
    }
    router.push(`/play/${parsed.data}`);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex flex-col gap-2"
      aria-label="Join a class game"
    >
      <label htmlFor={inputId} className="text-sm font-medium text-slate-600">
        Join code
      </label>
      <div className="flex gap-2">
        <input
          id={inputId}
          name="code"
          value={code}
          onChange={(e) => {
            setCode(
              e.target.value
                .toUpperCase()
                .replace(/[^A-Z0-9]/g, "")
                .slice(0, 6),
            );
            setError(null);
          }}
          inputMode="text"
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          placeholder="K7QX2M"
          size={6}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="w-full min-w-0 flex-1 rounded-xl border-2 border-slate-300 bg-white px-4 py-3 font-mono text-2xl tracking-[0.3em] uppercase placeholder:text-slate-300 focus:border-indigo-500 focus:outline-none"
        />
        <button
          type="submit"
          className="rounded-xl bg-indigo-600 px-5 py-3 text-lg font-semibold text-white shadow-sm transition hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Join
        </button>
      </div>
      <p id={errorId} role="alert" className="min-h-5 text-sm text-red-700">
        {error}
      </p>
    </form>
  );
}
