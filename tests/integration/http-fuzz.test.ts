import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract, type Channel } from '../../src/shared/contract';
import { rpc, startServe, tempDataDir, type ServeProcess } from '../support/cli';

// Random and hostile payloads to every channel through serve mode's HTTP transport: the answer is
// always a JSON Result, never a 500; the process stays up; the database stays intact; and a call
// that is refused leaves the database file (and its WAL) byte for byte as it was.

let data: ReturnType<typeof tempDataDir>;
let home: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;
let databaseFile = '';
/** Real ids from the demo data, so that some calls get past their schema to the handler. */
let ids: string[] = [];
/** Refused calls per error code, and calls that went through, over the whole run. */
const tally = new Map<string, number>();

beforeAll(async () => {
  data = tempDataDir();
  // packets:export-role writes into ~/Downloads: keep whatever a fuzzed call writes in a temp folder.
  home = tempDataDir();
  // A PDF packet would start Chromium (seconds of real work per call): point it at nothing, so that
  // pdf exports are refused at once ('unavailable') and every other format is exercised for real.
  serve = await startServe(data.dir, { HOME: home.dir, USERPROFILE: home.dir, PANELIST_CHROMIUM: `${home.dir}/no-chromium` });
  await rpc(serve, 'demo:load', { candidates: 12, interviewers: 4, seed: 7 });
  databaseFile = (await rpc<{ databaseFile: string }>(serve, 'app:info', {})).databaseFile;
  const found = new Set<string>();
  for (const [channel, input] of [['candidates:list', {}], ['roles:list', {}], ['interviewers:list', {}], ['today:list', {}], ['rubrics:list', {}], ['reminders:list', {}]] as const) {
    const text = JSON.stringify(await rpc(serve, channel, input));
    for (const match of text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)) found.add(match[0]);
  }
  ids = [...found].slice(0, 80);
  expect(ids.length).toBeGreaterThan(10);
}, 120_000);

afterAll(async () => {
  await serve.stop();
  data.remove();
  home.remove();
  console.info(`http fuzz: ${[...tally].map(([k, n]) => `${k} ${n}`).join(', ')}`);
});

/** The database as it is on disk: the file and its write-ahead log (the -shm index is not data). */
function databaseHash(): string {
  const hash = createHash('sha256');
  for (const file of [databaseFile, `${databaseFile}-wal`]) hash.update(existsSync(file) ? readFileSync(file) : Buffer.alloc(0)).update('|');
  return hash.digest('hex');
}

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function post(channel: string, body: string): Promise<Answer> {
  const response = await fetch(`${serve.origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-panelist-token': serve.token },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/**
 * Sends one body and checks what every call must keep to: a JSON Result and no 500; a refused call
 * changes nothing in the database.
 */
async function probe(channel: string, body: string): Promise<void> {
  const before = databaseHash();
  const answer = await post(channel, body);
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} characters)` : body;
  expect(answer.status, `${channel} ${shown}: ${answer.text.slice(0, 300)}`).not.toBe(500);
  expect(answer.type).toMatch(/^application\/json/);
  const result = JSON.parse(answer.text) as { ok: unknown; value?: unknown; error?: { code: unknown; message: unknown } };
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(answer.status).toBe(200);
    tally.set('ok', (tally.get('ok') ?? 0) + 1);
    return;
  }
  expect(typeof result.error?.code, `${channel} ${shown}`).toBe('string');
  expect(typeof result.error?.message).toBe('string');
  const code = String(result.error?.code);
  const message = String(result.error?.message);
  tally.set(code, (tally.get(code) ?? 0) + 1);
  expect(code, `${channel} ${shown}: ${message}`).not.toBe('internal');
  expect(databaseHash(), `${channel} refused ${shown} (${message}) but the database changed`).toBe(before);
}

/** What this test reads of a zod 4 schema to make values for it. */
interface Schema {
  _zod: {
    def: {
      type: string;
      format?: string;
      shape?: Record<string, Schema>;
      innerType?: Schema;
      element?: Schema;
      options?: Schema[];
      in?: Schema;
      entries?: Record<string, string | number>;
      values?: unknown[];
      checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number } } }[];
    };
  };
  minValue?: number | null;
  maxValue?: number | null;
  minLength?: number | null;
  maxLength?: number | null;
}

const inputOf = (channel: Channel) => contract[channel].input as unknown as Schema;

/** The fields a channel's input names (both sides of a union), so that payloads can get them right and their values wrong. */
function fieldsOf(channel: Channel): string[] {
  const def = inputOf(channel)._zod.def;
  const shapes = def.shape ? [def.shape] : (def.options ?? []).map((o) => o._zod.def.shape ?? {});
  return [...new Set(shapes.flatMap((shape) => Object.keys(shape)))];
}

function lengthCheck(schema: Schema, check: 'min_length' | 'max_length'): number | undefined {
  const found = schema._zod.def.checks?.find((c) => c._zod.def.check === check)?._zod.def;
  return check === 'min_length' ? found?.minimum : found?.maximum;
}

/**
 * Values that mostly pass the schema (the right type, within its bounds, real ids), so that calls
 * get past validation into the handlers; what the schema does not say (a refine, a rule of the
 * core) is left to chance.
 */
function plausible(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const def = schema._zod.def;
  if (depth > 6) return value;
  switch (def.type) {
    case 'string': {
      if (def.format === 'uuid') return ids.length ? fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 4 }, { arbitrary: fc.uuid({ version: 7 }), weight: 1 }) : fc.uuid({ version: 7 });
      if (def.format === 'datetime') return fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
      if (def.format === 'email') return fc.emailAddress();
      const min = schema.minLength ?? 0;
      const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40));
      return fc.oneof(fc.string({ minLength: min, maxLength: max }), fc.constantFrom(...HOSTILE_TEXT.filter((t) => t.length >= min && t.length <= (schema.maxLength ?? Infinity))).map((t) => t || 'x'));
    }
    case 'number': {
      const low = Math.max(schema.minValue ?? 0, -1000);
      const high = Math.min(schema.maxValue ?? low + 10, low + 10);
      return def.format === 'safeint' ? fc.integer({ min: Math.ceil(low), max: Math.floor(high) }) : fc.double({ min: low, max: high, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { none: 'none' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'array': {
      const min = lengthCheck(schema, 'min_length') ?? 0;
      return fc.array(plausible(def.element!, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(lengthCheck(schema, 'max_length') ?? 3, 3)) });
    }
    case 'object':
      return fc.record(Object.fromEntries(Object.entries(def.shape ?? {}).map(([key, field]) => [key, plausible(field, depth + 1)])));
    case 'optional':
    case 'default':
      return fc.option(plausible(def.innerType!, depth + 1), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(plausible(def.innerType!, depth + 1), { nil: null, freq: 3 });
    case 'union':
      return fc.oneof(...(def.options ?? []).map((o) => plausible(o, depth + 1)));
    case 'pipe':
      return plausible(def.in!, depth + 1);
    default:
      return value;
  }
}

const HOSTILE_TEXT = [
  '__proto__',
  'constructor',
  "'; DROP TABLE candidates; --",
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x","y")',
  '\u0000\u0001\u202e\ufeff',
  '../../../../etc/passwd',
  '%E0%A4%A',
  '\ud800',
  'x'.repeat(70_000),
];
const HOSTILE_NUMBERS = [-1, 0, 1, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, 0.5, -0.0];

/** Any value a field might be sent: a real id, an id of nothing, random JSON, hostile text and numbers, an object trying to pollute prototypes. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_TEXT), weight: 2 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 2 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.integer({ min: -5, max: 60 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.uuid(), weight: 1 },
  { arbitrary: fc.constantFrom('md', 'json', 'html', 'a4', 'full', 'role', 'candidate', 'keep', 'theirs', 'hire', 'recommendation', 'takeaways', 'privateNote'), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.array(fc.oneof(fc.uuid(), fc.integer({ min: 0, max: 7 }), fc.string({ maxLength: 10 })), { maxLength: 5 }), weight: 2 },
);

/** The body of one call, as text (so that keys such as __proto__ go over the wire as they are). */
function payloads(channel: Channel): fc.Arbitrary<string> {
  const fields = fieldsOf(channel);
  const withIds = ids.length ? fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 3 }, { arbitrary: value, weight: 5 }) : value;
  // The right field names with wrong (or occasionally right) values.
  const shaped = fields.length
    ? fc.record(Object.fromEntries(fields.map((f) => [f, withIds])), { requiredKeys: [] }).map((o) => JSON.stringify(o))
    : fc.constant('{}');
  // Prototype pollution and unknown keys next to the real ones.
  const polluted = shaped.chain((json) =>
    fc.constantFrom('"__proto__":{"admin":true,"ok":true}', '"constructor":{"prototype":{"polluted":true}}', '"prototype":{"x":1}', '"__proto__":null').map((extra) =>
      json === '{}' ? `{${extra}}` : json.replace(/^\{/, `{${extra},`),
    ),
  );
  // Mostly valid, and mostly valid with one field of a wrong type or a hostile value.
  const near = plausible(inputOf(channel)) as fc.Arbitrary<Record<string, unknown>>;
  const oneWrong = fields.length
    ? fc.tuple(near, fc.constantFrom(...fields), value).map(([input, field, wrong]) => ({ ...input, [field]: wrong }))
    : near;
  return fc.oneof(
    { arbitrary: near.map((o) => JSON.stringify(o)), weight: 5 },
    { arbitrary: oneWrong.map((o) => JSON.stringify(o)), weight: 4 },
    { arbitrary: shaped, weight: 2 },
    { arbitrary: polluted, weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), weight: 2 },
    { arbitrary: fc.constantFrom('[', '{"a":', '{"a":1', '{"a":"\\u12', '{"a":1}}', "{'a':1}", 'NaN', '{"a":01}'), weight: 1 },
    { arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`), weight: 1 },
    { arbitrary: fc.integer({ min: 100, max: 5_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), weight: 1 },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  );
}

/** Fixed hostile bodies every channel gets, besides the random ones. */
const FIXED = [
  '',
  'null',
  '{"__proto__":{"polluted":true}}',
  `{"x":"${'y'.repeat(2_000_000)}"}`,
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  '\ufeff{}',
  '{"a":1,"a":2}',
];

/** Random calls per channel: with the fixed ones, about a thousand calls, well inside a minute. */
const RUNS_PER_CHANNEL = 8;

/** The channels in the order they are probed: those that remove data last, so the others have data to work on. */
const LAST: readonly Channel[] = ['candidates:erase', 'demo:remove', 'demo:load'];
const ORDER = [...CHANNELS.filter((c) => !LAST.includes(c)), ...LAST];

describe('every channel over HTTP, with random and hostile payloads', () => {
  it.each(ORDER)('%s: always a Result, no 500, and a refused call changes nothing', async (channel) => {
    for (const body of FIXED) await probe(channel, body);
    await fc.assert(
      fc.asyncProperty(payloads(channel), (body) => probe(channel, body)),
      { numRuns: RUNS_PER_CHANNEL },
    );
  });

  it('leaves the server up and the database intact', async () => {
    expect(serve.child.exitCode).toBeNull();
    const info = await rpc<{ schemaVersion: number }>(serve, 'app:info', {});
    expect(info.schemaVersion).toBeGreaterThan(0);
    const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
