import type { BundleKind, ConflictChoice, OpenConflict } from '../../../shared/bundle';
import { countOf, listing } from './format';

/**
 * .panelist files in the renderer: their bytes as base64 (the way they cross the contract), saved
 * the way a browser saves a file, and their counts said in words.
 */

/** Base64 of bytes, in slices (a spread of millions of arguments would overflow the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  const SLICE = 0x8000;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += SLICE) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + SLICE)));
  }
  return btoa(parts.join(''));
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** "12.3 KB", "1.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return countOf(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The core counts records by kind ("rubric versions"); each kind in the singular and plural. */
const NOUNS: Record<string, [string, string]> = {
  interviewers: ['interviewer', 'interviewers'],
  'rubric versions': ['rubric version', 'rubric versions'],
  roles: ['role', 'roles'],
  candidates: ['candidate', 'candidates'],
  interviews: ['interview', 'interviews'],
  scorecards: ['scorecard', 'scorecards'],
  erasures: ['erasure', 'erasures'],
  'key changes': ['key change', 'key changes'],
  drafts: ['draft', 'drafts'],
};

/** "1 role, 2 candidates and 4 rubric versions", or `none` when there is nothing. */
export function describeCounts(counts: Record<string, number>, none = 'nothing'): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => {
      const [one, many] = NOUNS[kind] ?? [kind.replace(/s$/, ''), kind];
      return countOf(n, one, many);
    });
  return parts.length ? listing(parts) : none;
}

export const KIND_LABELS: Record<BundleKind, string> = {
  'panel-kit': 'panel kit',
  scorecards: 'scorecards bundle',
  full: 'full bundle',
};

type ConflictKind = OpenConflict['kind'];

/** Open conflicts by the core's kind, in words. */
export const CONFLICT_LABELS: Record<ConflictKind, string> = {
  'scorecard-fork': 'Two versions of one scorecard',
  record: 'Record changed on two machines',
  key: 'Signing key',
  'draft-superseded': 'Your draft and a submitted version',
};

/** Another panelist's scorecard fork: only its author can settle it, so the one choice here is to dismiss it. */
const onlyDismiss = (c: Pick<OpenConflict, 'kind' | 'choices'>) => c.kind === 'scorecard-fork' && !c.choices.includes('take-theirs');

const TAKE_THEIRS: Record<ConflictKind, string> = {
  record: "Take the other machine's version",
  key: 'Accept the new key',
  'draft-superseded': 'Use the submitted version',
  'scorecard-fork': 'Take the other version',
};

/**
 * A choice's button, in the words of its kind. A key's "this version" is the key pinned here, said
 * so (the brief's "Keep this version" reads oddly for a key).
 */
export function choiceLabel(c: Pick<OpenConflict, 'kind' | 'choices'>, choice: ConflictChoice): string {
  if (choice === 'take-theirs') return TAKE_THEIRS[c.kind];
  if (onlyDismiss(c)) return 'Dismiss — keep this version';
  return c.kind === 'key' ? 'Keep the key pinned here' : 'Keep this version';
}

/** What the choices mean, in one sentence under them. */
export function choiceHint(c: Pick<OpenConflict, 'kind' | 'choices'>): string {
  switch (c.kind) {
    case 'record':
      return "Taking the other machine's version makes it the next revision here, so it wins wherever it travels next.";
    case 'key':
      return 'Accept the new key only after comparing both fingerprints with its owner by voice: from then on, their scorecards are checked against it.';
    case 'draft-superseded':
      return 'Using the submitted version replaces your draft here; keeping this version leaves your draft as it is.';
    case 'scorecard-fork':
      return onlyDismiss(c)
        ? 'Only its author can settle this, by amending the scorecard on their machine; their amendment arrives with their next bundle.'
        : 'Taking the other version signs it here, as an amendment on top of this one.';
  }
}

/** Said once a choice took effect. */
export function choiceDone(c: Pick<OpenConflict, 'kind' | 'choices'>, choice: ConflictChoice): string {
  if (choice === 'keep-this') {
    if (onlyDismiss(c)) return 'Dismissed: this version of the scorecard is kept.';
    return c.kind === 'key' ? 'Kept the key pinned here.' : `Kept this version (${CONFLICT_LABELS[c.kind].toLowerCase()}).`;
  }
  switch (c.kind) {
    case 'record':
      return "Took the other machine's version: it is the next revision here.";
    case 'key':
      return 'Accepted the new key.';
    case 'draft-superseded':
      return 'Used the submitted version: your draft here is replaced.';
    case 'scorecard-fork':
      return 'Took the other version, signed here as an amendment.';
  }
}
