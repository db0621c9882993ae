/** How a Hue bridge's certificate fingerprint is written in settings: one form, whatever was typed. */

/** `AB:CD:…` (64 hex digits, colon-separated, upper case), however it was written. */
export function normalizeFingerprint(value: string): string | null {
  const hex = value.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}
