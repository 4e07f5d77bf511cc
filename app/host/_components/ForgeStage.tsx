/** The projector while students forge: what to do, and how many forgeries wait (never which). */
export function ForgeStage({ submitted, students }: { submitted: number; students: number }) {
  return (
    <section
      className="flex flex-col items-center gap-6 rounded-3xl bg-slate-900 p-10 text-center text-white shadow-lg"
      aria-label="The forge"
      data-testid="forge-stage"
    >
      <p className="text-xl font-semibold tracking-wide text-orange-300 uppercase">
        The forge is open
      </p>
      <h1 className="max-w-3xl text-5xl leading-tight font-black">
        Your turn to be the counterfeiter
      </h1>
      <p className="max-w-2xl text-2xl text-slate-300">
        On your phone, move the dials until the police network believes your digit is real, then
        submit it. Your forgery hides in the next round — every classmate it fools earns you points.
      </p>
      <p className="font-mono text-8xl font-black tabular-nums" data-testid="forge-submitted">
        {submitted}
        <span className="ml-3 font-sans text-3xl font-semibold text-slate-300">
          of {students} {submitted === 1 ? "forgery" : "forgeries"} in
        </span>
      </p>
    </section>
  );
}
