// Small inline icons. Emoji render as empty boxes where no emoji font is installed (many school
// PCs and projectors), so the interface draws its own.

type IconProps = { className?: string };

export function LockIcon({ open = false, className = "size-4" }: IconProps & { open?: boolean }) {
  return (
    <svg
      viewBox="0 0 20 20"
      className={className}
      aria-hidden
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <rect x="4" y="9" width="12" height="9" rx="2" fill="currentColor" stroke="none" />
      <path d={open ? "M7 9V6a3 3 0 0 1 5.8-1" : "M7 9V6a3 3 0 0 1 6 0v3"} strokeLinecap="round" />
    </svg>
  );
}

export function ShieldIcon({ className = "size-4" }: IconProps) {
  return (
    <svg viewBox="0 0 20 20" className={className} aria-hidden fill="currentColor">
      <path d="M10 1.5 3 4.2v5.1c0 4.3 2.9 7.6 7 9.2 4.1-1.6 7-4.9 7-9.2V4.2z" />
    </svg>
  );
}

export function FlameIcon({ className = "size-4" }: IconProps) {
  return (
    <svg viewBox="0 0 20 20" className={className} aria-hidden fill="currentColor">
      <path d="M10.5 1.5c.6 3-1.8 4.4-3.2 6.3C5.9 9.7 5 11.3 5 13a5 5 0 0 0 10 0c0-2.2-1-3.6-1.8-4.6-.2 1.4-.9 2.3-1.9 2.6.6-3.5-.2-7.1-.8-9.5z" />
    </svg>
  );
}

export function TrophyIcon({ className = "size-4" }: IconProps) {
  return (
    <svg viewBox="0 0 20 20" className={className} aria-hidden fill="currentColor">
      <path d="M5 2h10v2h3v2a4 4 0 0 1-4 4h-.3A4.5 4.5 0 0 1 11 12.9V15h3v3H6v-3h3v-2.1A4.5 4.5 0 0 1 6.3 10H6a4 4 0 0 1-4-4V4h3zm0 4H4a2 2 0 0 0 1 1.7zm10 0v1.7A2 2 0 0 0 16 6z" />
    </svg>
  );
}

export function MagnifierIcon({ className = "size-4" }: IconProps) {
  return (
    <svg
      viewBox="0 0 20 20"
      className={className}
      aria-hidden
      fill="none"
      stroke="currentColor"
      strokeWidth="2.5"
    >
      <circle cx="8.5" cy="8.5" r="5.5" />
      <path d="m13 13 5 5" strokeLinecap="round" />
    </svg>
  );
}
