import { QrCode } from "@/app/_components/QrCode";

/** The join code, big enough to read from the back row, and the QR code to the same address. */
export function JoinPanel({
  code,
  joinUrl,
  compact = false,
}: {
  code: string;
  joinUrl: string;
  compact?: boolean;
}) {
  const host = joinUrl.replace(/^https?:\/\//, "").replace(/\/play\/.*$/, "");
  if (compact) {
    return (
      <span className="flex items-baseline gap-2 text-lg text-slate-600">
        Join at <strong className="text-ink">{host}/play</strong> with code
        <strong
          className="rounded-lg bg-slate-900 px-2.5 py-0.5 font-mono text-2xl tracking-[0.2em] text-white"
          data-testid="join-code"
        >
          {code}
        </strong>
      </span>
    );
  }
  return (
    <section
      className="flex flex-wrap items-center gap-8 rounded-3xl bg-slate-900 p-8 text-white shadow-xl"
      aria-label="How to join"
    >
      <div className="flex min-w-0 flex-1 flex-col gap-3">
        <p className="text-2xl text-slate-300">
          Go to <strong className="text-white">{host}/play</strong> and enter
        </p>
        <p
          className="font-mono text-8xl font-black tracking-[0.15em] xl:text-9xl"
          data-testid="join-code"
          aria-label={`Join code ${code.split("").join(" ")}`}
        >
          {code}
        </p>
        <p className="text-xl text-slate-300">or scan the QR code with your phone&apos;s camera</p>
      </div>
      <QrCode text={joinUrl} label={`QR code to join: ${joinUrl}`} className="w-56 p-2 xl:w-64" />
    </section>
  );
}
