import {
  ClassVsPoliceChart,
  SERIES,
  SeriesMarker,
  type Interval,
} from "@/app/_components/ClassVsPoliceChart";
import type { StatsSeries } from "@/lib/protocol";

/**
 * Error rate of the class and of the police per generator step, with 95 % bootstrap intervals and
 * the 50 % chance line: a point on the line means "can't tell real from fake".
 */
export function StatsChart({ stats }: { stats: StatsSeries }) {
  const points = stats.byStep;
  const latest = points[points.length - 1];
  return (
    <section
      className="flex flex-col gap-2 rounded-3xl bg-white p-5 shadow-sm"
      aria-label="Humans versus police over training"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-2xl font-black">
          Humans vs police
          <span className="block text-base font-semibold text-slate-500">
            as the counterfeiter improved
          </span>
        </h2>
        <div className="flex gap-4 text-sm font-semibold">
          {SERIES.map((s) => (
            <span key={s.key} className="flex items-center gap-1.5">
              <SeriesMarker series={s} />
              {s.label}
            </span>
          ))}
        </div>
      </div>
      <ClassVsPoliceChart
        look="projector"
        width={520}
        xTitle="generator step"
        ariaLabel={describe(points)}
        points={points.map((p) => ({
          key: p.generatorStep,
          tick: String(p.generatorStep),
          class: p.classError,
          police: p.policeError,
        }))}
      />
      {latest ? (
        <p className="text-slate-600">
          Error rate, lower is better · 95% intervals. Latest (step {latest.generatorStep}): class{" "}
          {fmt(latest.classError)}, police {fmt(latest.policeError)}; fooled by fakes: class{" "}
          {fmt(latest.classFoolRate)}, police {fmt(latest.policeFoolRate)}.
        </p>
      ) : null}
    </section>
  );
}

function fmt(v: Interval | null): string {
  if (!v) return "—";
  return `${Math.round(v.estimate * 100)}% (${Math.round(v.low * 100)}–${Math.round(v.high * 100)}%)`;
}

function describe(points: StatsSeries["byStep"]): string {
  return points
    .map(
      (s) =>
        `Step ${s.generatorStep}: class error ${fmt(s.classError)}, police error ${fmt(s.policeError)}`,
    )
    .join(". ");
}
