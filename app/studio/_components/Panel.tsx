import type { ReactNode } from "react";

/** A card with a heading, the course's short explanation of what it shows, and the view. */
export function Panel({
  title,
  explain,
  children,
  className = "",
  id,
  aside,
}: {
  title: string;
  explain?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
  aside?: ReactNode;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className={`flex min-w-0 flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 ${className}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-lg font-bold">
          {title}
        </h2>
        {aside}
      </div>
      {explain && <p className="text-sm leading-relaxed text-slate-600">{explain}</p>}
      {children}
    </section>
  );
}
