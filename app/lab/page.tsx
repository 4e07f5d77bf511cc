import type { Metadata } from "next";
import { Suspense } from "react";
import { LabApp } from "./LabApp";

export const metadata: Metadata = {
  title: "GAN Lab — Spot the Fake",
  description:
    "Watch a GAN learn a 2-D distribution: the police's decision map, the counterfeiter's moves, and the failure modes of training, on one plane.",
};

export default function LabPage() {
  return (
    <Suspense>
      <LabApp />
    </Suspense>
  );
}
