/** "mm:ss" (or "h:mm:ss" past the hour) for an elapsed time in milliseconds. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * When the interview's clock starts: at the scheduled start while the interview is on (or about
 * to end), else when the scorecard was opened, so that scoring a day later does not read 26:00:00.
 */
export function clockStart(scheduledAt: string, durationMinutes: number, openedAt: number): number {
  const start = Date.parse(scheduledAt);
  const end = start + (durationMinutes + 30) * 60_000;
  return openedAt >= start && openedAt <= end ? start : openedAt;
}

/** Appends a [mm:ss] stamp to a note, on its own line when the note already has text. */
export function appendStamp(note: string, elapsedMs: number): string {
  const stamp = `[${formatElapsed(elapsedMs)}] `;
  if (note === '') return stamp;
  return note.endsWith('\n') || note.endsWith(' ') ? `${note}${stamp}` : `${note}\n${stamp}`;
}
