import Link from "next/link";
import { JoinCodeForm } from "./_components/JoinCodeForm";

const steps = [
  {
    title: "The counterfeiter",
    body: "A generator network turns random noise into handwritten digits and gets better every second.",
  },
  {
    title: "The police",
    body: "A discriminator network sees real and forged digits and learns to tell them apart.",
  },
  {
    title: "Your class",
    body: "Everyone plays police too. Who catches more fakes: the students or the network?",
  },
];

export default function Home() {
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-12 px-5 py-10 sm:px-8 sm:py-16">
      <header className="flex flex-col gap-5">
        <p className="text-sm font-semibold tracking-widest text-indigo-600 uppercase">
          A classroom game about generative adversarial networks
        </p>
        <h1 className="text-5xl font-black tracking-tight sm:text-7xl">
          Spot the <span className="text-fake">Fake</span>
        </h1>
        <p className="max-w-2xl text-lg text-slate-600 sm:text-xl">
          A real GAN trains live in the browser. Students label handwritten digits as real or
          forged, side by side with the network&apos;s own police — and the forger learns to fool
          both.
        </p>
      </header>

      <section aria-label="Ways in" className="grid grid-cols-1 gap-5 md:grid-cols-3">
        <article className="flex flex-col gap-4 rounded-3xl bg-slate-900 p-6 text-white shadow-lg">
          <h2 className="text-2xl font-bold">Play with a class</h2>
          <p className="flex-1 text-slate-300">
            Open a room on the projector. Students join from their phones with a code or QR code;
            your browser trains the GAN while you run timed rounds.
          </p>
          <Link
            href="/host"
            className="rounded-xl bg-white px-5 py-3 text-center text-lg font-semibold text-slate-900 transition hover:bg-indigo-100"
          >
            Host a class
          </Link>
        </article>

        <article className="flex flex-col gap-4 rounded-3xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="text-2xl font-bold">Train alone</h2>
          <p className="flex-1 text-slate-600">
            Watch a GAN learn step by step: losses, the police&apos;s view of real and fake, a
            latent explorer, and a solo round against your own discriminator.
          </p>
          <Link
            href="/studio"
            className="rounded-xl bg-indigo-600 px-5 py-3 text-center text-lg font-semibold text-white transition hover:bg-indigo-500"
          >
            Open the studio
          </Link>
          <Link
            href="/lab"
            className="text-center text-sm font-semibold text-indigo-700 hover:text-indigo-500"
          >
            Or try the 2-D GAN Lab →
          </Link>
        </article>

        {/* Students arrive on phones: there the code box comes first. */}
        <article className="order-first flex flex-col gap-4 rounded-3xl border border-slate-200 bg-white p-6 shadow-sm md:order-none">
          <h2 className="text-2xl font-bold">Join with a code</h2>
          <p className="text-slate-600">Your teacher shows the code on the big screen.</p>
          <JoinCodeForm />
        </article>
      </section>

      <section aria-label="How it works" className="grid gap-5 sm:grid-cols-3">
        {steps.map((step, i) => (
          <div key={step.title} className="flex gap-4">
            <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-indigo-100 font-bold text-indigo-700">
              {i + 1}
            </span>
            <div>
              <h3 className="font-semibold">{step.title}</h3>
              <p className="text-slate-600">{step.body}</p>
            </div>
          </div>
        ))}
      </section>

      <footer className="flex flex-wrap gap-x-6 gap-y-2 border-t border-slate-200 pt-6 text-sm text-slate-500">
        <Link href="/history" className="hover:text-slate-800">
          Past sessions
        </Link>
        <span>
          No accounts. A nickname is the only personal data; teachers can delete a session.
        </span>
      </footer>
    </main>
  );
}
