"use client";

import { useId, useState } from "react";
import { Spinner } from "@/app/_components/ConnectionBanner";
import { Nickname } from "@/lib/protocol/schemas";

interface Props {
  code: string;
  busy: boolean;
  serverError: string | null;
  onJoin: (nickname: string) => void;
}

export function NicknameForm({ code, busy, serverError, onJoin }: Props) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();
  const shown = error ?? serverError;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = Nickname.safeParse(value);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Please choose another nickname.");
      return;
    }
    setError(null);
    onJoin(parsed.data);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex flex-1 flex-col justify-center gap-5"
      aria-label="Join the game"
    >
      <div className="flex flex-col gap-1">
        <h1 className="text-3xl font-black">Join game {code}</h1>
        <p className="text-lg text-slate-600">
          Pick a nickname the class will see. No real names needed.
        </p>
      </div>
      <div className="flex flex-col gap-2">
        <label htmlFor={inputId} className="font-semibold">
          Nickname
        </label>
        <input
          id={inputId}
          name="nickname"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          maxLength={24}
          autoComplete="off"
          autoCapitalize="words"
          spellCheck={false}
          enterKeyHint="go"
          placeholder="e.g. Sharp Eyes"
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? errorId : undefined}
          className="rounded-xl border-2 border-slate-300 bg-white px-4 py-3.5 text-xl focus:border-indigo-500 focus:outline-none"
        />
        <p id={errorId} role="alert" className="min-h-6 font-medium text-rose-700">
          {shown}
        </p>
      </div>
      <button
        type="submit"
        disabled={busy}
        className="flex items-center justify-center gap-3 rounded-2xl bg-indigo-600 px-5 py-4 text-xl font-bold text-white shadow-md transition hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-70"
      >
        {busy ? (
          <>
            <Spinner className="border-white" /> Joining…
          </>
        ) : (
          "Join the game"
        )}
      </button>
    </form>
  );
}
