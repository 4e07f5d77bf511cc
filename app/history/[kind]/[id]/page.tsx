import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SessionView } from "../../SessionView";

export const metadata: Metadata = { title: "Session — Spot the Fake" };

export default async function SessionPage({
  params,
}: {
  params: Promise<{ kind: string; id: string }>;
}) {
  const { kind, id } = await params;
  if ((kind !== "room" && kind !== "run") || !/^[\w-]{1,64}$/.test(id)) notFound();
  return <SessionView kind={kind} id={id} />;
}
