/**
 * UUID version 7 (RFC 9562): a 48-bit millisecond timestamp followed by random bits, so ids sort
 * by creation time. `random` fills the 10 random bytes; it defaults to the platform's CSPRNG and
 * is replaceable so that generated demo data can be reproducible.
 */
export function uuidv7(
  timeMs: number = Date.now(),
  random: (bytes: Uint8Array) => void = (b) => globalThis.crypto.getRandomValues(b),
): string {
  const bytes = new Uint8Array(16);
  let t = Math.floor(timeMs);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  const rest = new Uint8Array(10);
  random(rest);
  bytes.set(rest, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}
