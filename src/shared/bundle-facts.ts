// What the renderer needs to know about .panelist files without loading the bundle schema (zod):
// the size limits and the words for a panel seat a kit gives me.

/** The largest .panelist file an import reads, compressed. */
export const BUNDLE_MAX_FILE_BYTES = 64 * 1024 * 1024;
/** The most a bundle may inflate to (a gzip bomb stops here). */
export const BUNDLE_MAX_JSON_BYTES = 512 * 1024 * 1024;

/** An interview a panel kit puts on my Today. */
export interface PanelSeat {
  session: string;
  candidateName: string;
  scheduledAt: string;
}

/** What a panel kit means for its reader, the time as the caller shows times. */
export function panelSentence(seat: PanelSeat, formatTime: (iso: string) => string): string {
  return `You are on the ${seat.session} panel for ${seat.candidateName}, ${formatTime(seat.scheduledAt)}.`;
}
