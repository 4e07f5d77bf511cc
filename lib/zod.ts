// zod, configured once for every bundle: no JIT. zod 4 otherwise probes `new Function("")` on its
// first object parse, which the Content Security Policy (no 'unsafe-eval') reports as a
// violation in the browser. Code that runs in a page or a worker imports z from here.
import { z } from "zod";

z.config({ jitless: true });

export { z };
