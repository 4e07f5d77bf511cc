import type { Verdict } from "@/lib/protocol";

/** Real/fake shown with colour, word and icon together, never colour alone. */
export function VerdictIcon({
  verdict,
  className = "size-5",
}: {
  verdict: Verdict;
  className?: string;
}) {
  return verdict === "real" ? (
    <svg viewBox="0 0 20 20" className={className} aria-hidden fill="currentColor">
      <path d="M10 1.5 12.6 7l5.9.6-4.4 4 1.3 5.9L10 14.6l-5.4 2.9 1.3-5.9-4.4-4L7.4 7z" />
    </svg>
  ) : (
    <svg
      viewBox="0 0 20 20"
      className={className}
      aria-hidden
      fill="none"
      stroke="currentColor"
      strokeWidth="3"
    >
      <path d="M4.5 4.5l11 11M15.5 4.5l-11 11" strokeLinecap="round" />
    </svg>
  );
}

export const verdictLabel = (v: Verdict) => (v === "real" ? "Real" : "Fake");

export function VerdictBadge({
  verdict,
  prefix,
  size = "md",
}: {
  verdict: Verdict;
  prefix?: string;
  size?: "sm" | "md" | "lg";
}) {
  const tone = verdict === "real" ? "bg-real-soft text-real" : "bg-fake-soft text-fake";
  const text =
    size === "lg"
      ? "text-xl px-3 py-1.5"
      : size === "sm"
        ? "text-xs px-1.5 py-0.5"
        : "text-sm px-2 py-1";
  return (
    <span className={`inline-flex items-center gap-1 rounded-lg font-bold ${tone} ${text}`}>
      <VerdictIcon verdict={verdict} className={size === "lg" ? "size-5" : "size-3.5"} />
      {prefix ? `${prefix} ` : ""}
      {verdictLabel(verdict)}
    </span>
  );
}

/** Right or wrong, as a word and a mark. */
export function Correctness({ correct }: { correct: boolean }) {
  return correct ? (
    <span className="inline-flex items-center gap-1 font-bold text-emerald-700">
      <span aria-hidden>✓</span> Right
    </span>
  ) : (
    <span className="inline-flex items-center gap-1 font-bold text-rose-700">
      <span aria-hidden>✗</span> Wrong
    </span>
  );
}
