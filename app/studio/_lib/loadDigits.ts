// Downloads the bundled digits with progress (the studio shows it while it starts).
import { DATASET_URL, decodeDigitsGzip, DatasetFormatError, type Digits } from "@/lib/gan/dataset";

export async function loadDigitsWithProgress(
  onProgress: (fraction: number | null) => void,
  url = DATASET_URL,
): Promise<Digits> {
  const res = await fetch(url);
  if (!res.ok || !res.body) {
    throw new DatasetFormatError(`could not load ${url}: HTTP ${res.status}`);
  }
  const total = Number(res.headers.get("Content-Length")) || 0;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(total > 0 ? Math.min(1, received / total) : null);
  }
  const gz = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    gz.set(c, at);
    at += c.length;
  }
  return decodeDigitsGzip(gz);
}
