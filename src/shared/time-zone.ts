/** Whether the text names a time zone this runtime knows (IANA, e.g. Europe/Berlin). Plain, so the renderer can use it too. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
