import type { Metadata } from "next";
import { Suspense } from "react";
import { HostApp } from "./HostApp";

export const metadata: Metadata = { title: "Host a class — Spot the Fake" };

export default function HostPage() {
  return (
    <Suspense>
      <HostApp />
    </Suspense>
  );
}
