/** What is stored about students, said where the teacher decides to keep or delete it. */
export function PrivacyNote({ retentionNote = true }: { retentionNote?: boolean }) {
  return (
    <aside
      aria-label="Privacy"
      className="rounded-2xl border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm leading-relaxed text-emerald-950"
    >
      <strong>Privacy:</strong> students&apos; nicknames are the only personal data stored — no
      accounts, e-mail addresses or devices. Deleting a session erases every row that belongs to it
      (players, rounds, images, answers, training runs, snapshots and metrics)
      {retentionNote ? "; sessions are also purged automatically after the retention period." : "."}
    </aside>
  );
}
