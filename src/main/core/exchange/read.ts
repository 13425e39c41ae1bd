import { gunzipSync } from 'node:zlib';
import { Bundle, BUNDLE_FORMAT, BUNDLE_MAX_FILE_BYTES, BUNDLE_MAX_JSON_BYTES, BUNDLE_SCHEMA_VERSION } from '../../../shared/bundle';
import { AppError } from '../../../shared/result';

const MB = 1024 * 1024;

function refuse(message: string, path?: string): AppError {
  return new AppError('invalid_input', message, path);
}

/**
 * Reads a .panelist file, refusing anything that is not a whole, valid bundle this Panelist can
 * read, each with one line that names the problem (and the JSON path where there is one).
 */
export function readBundle(file: Buffer): Bundle {
  return validBundle(parseBundleFile(file));
}

/** The file's JSON, inflated within the limits, not yet checked against the bundle format. */
export function parseBundleFile(file: Buffer): unknown {
  if (file.length > BUNDLE_MAX_FILE_BYTES) throw refuse(`The file is ${Math.ceil(file.length / MB)} MB; a bundle may be at most ${BUNDLE_MAX_FILE_BYTES / MB} MB.`);
  if (file.length < 2 || file[0] !== 0x1f || file[1] !== 0x8b) throw refuse('This is not a Panelist bundle (.panelist files are gzip-compressed JSON).');
  let text: string;
  try {
    // Capped while inflating: a small file that inflates without end (a gzip bomb) stops at the cap.
    text = gunzipSync(file, { maxOutputLength: BUNDLE_MAX_JSON_BYTES }).toString('utf8');
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw refuse(`The bundle inflates to more than ${BUNDLE_MAX_JSON_BYTES / MB} MB: refused as a possible gzip bomb.`);
    }
    throw refuse('The bundle is truncated or corrupt (its gzip data cannot be read).');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw refuse(`The bundle is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  return json;
}

function validBundle(json: unknown): Bundle {
  const head = json as { format?: unknown; schemaVersion?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== BUNDLE_FORMAT) throw refuse('This is not a Panelist bundle (it has no "format": "panelist-bundle").');
  if (typeof head.schemaVersion === 'number' && head.schemaVersion > BUNDLE_SCHEMA_VERSION) {
    throw refuse(`This bundle was written by a newer Panelist (bundle version ${head.schemaVersion}; this one reads up to ${BUNDLE_SCHEMA_VERSION}). Update Panelist to import it.`);
  }
  const parsed = Bundle.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw refuse(`The bundle does not follow the bundle format at ${path || 'the top'}: ${issue.message}.`, path);
  }
  checkUniqueIds(parsed.data);
  return parsed.data;
}

function checkUniqueIds(bundle: Bundle): void {
  const lists: [string, { id: string }[]][] = [
    ['interviewers', bundle.interviewers],
    ['rubrics', bundle.rubrics],
    ['roles', bundle.roles],
    ['candidates', bundle.candidates],
    ['interviews', bundle.interviews],
    ['scorecards', bundle.scorecards],
    ['revotes', bundle.revotes],
  ];
  for (const [name, records] of lists) {
    const seen = new Set<string>();
    records.forEach((r, index) => {
      if (seen.has(r.id)) throw refuse(`The bundle has the id ${r.id} twice in ${name} (${name}.${index}).`, `${name}.${index}.id`);
      seen.add(r.id);
    });
  }
}
