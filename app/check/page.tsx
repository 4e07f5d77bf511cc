import type { Metadata } from "next";
import Link from "next/link";
import { DeviceCheck } from "./DeviceCheck";

export const metadata: Metadata = { title: "Device check — Spot the Fake" };

export default function CheckPage() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-5 py-10">
      <Link href="/" className="text-sm text-indigo-700 hover:underline">
        ← Spot the Fake
      </Link>
      <h1 className="text-3xl font-bold">Can this device train the GAN?</h1>
      <p className="text-slate-600">
        Before class, open this page on the computer that will host the game. It loads the same
        TensorFlow.js engine the game uses and reports which backend it runs on.
      </p>
      <DeviceCheck />
    </main>
  );
}
