import { z } from 'zod';
import { Bundle } from './bundle';
import { IsoDateTime, Revision } from './domain';

/**
 * The team hub: a PostgreSQL-backed service that desktops sync with when a company outgrows
 * passing .panelist files. Each desktop keeps its SQLite database and works offline; when it can
 * reach the hub it pushes its new revisions and pulls what it may see.
 */

export const HUB_ROLES = ['interviewer', 'hiring-manager', 'admin'] as const;
export const HubRole = z.enum(HUB_ROLES);
export type HubRole = z.infer<typeof HubRole>;

/** The kinds of record that sync, each keyed by `kind/id` in a push's base revisions. */
export const HUB_RECORD_KINDS = ['interviewers', 'rubric-versions', 'roles', 'candidates', 'interviews', 'scorecards', 'revotes', 'key-events', 'tombstones'] as const;
export type HubRecordKind = (typeof HUB_RECORD_KINDS)[number];

export function recordKey(kind: HubRecordKind, id: string): string {
  return `${kind}/${id}`;
}

/**
 * A push: the records that changed here since the hub last saw them, as a bundle, and for each the
 * revision the hub had when this desktop last synced it (null: new to the hub). The hub writes a
 * record only if it still has that revision; otherwise the record is stale and the desktop pulls,
 * merges by the exchange rules and tries again.
 */
export const PushRequest = z
  .object({
    bases: z.record(z.string().max(200), Revision.nullable()),
    bundle: Bundle,
  })
  .strict();
export type PushRequest = z.infer<typeof PushRequest>;

export const PushOutcome = z.enum(['accepted', 'unchanged', 'stale', 'refused']);
export type PushOutcome = z.infer<typeof PushOutcome>;

export const PushResult = z.object({
  key: z.string(),
  outcome: PushOutcome,
  /** The revision the hub now holds for the record (accepted, unchanged) or held (stale). */
  revision: Revision.nullable(),
  reason: z.string().optional(),
});
export type PushResult = z.infer<typeof PushResult>;

export const PushResponse = z.object({ results: z.array(PushResult) });
export type PushResponse = z.infer<typeof PushResponse>;

/** Who the token belongs to, as the hub knows them. */
export const HubIdentity = z.object({ email: z.string(), role: HubRole });
export type HubIdentity = z.infer<typeof HubIdentity>;

/** The desktop's view of its hub connection, for Settings → Team hub and the status line. */
export const HubStatus = z.object({
  /** Null: no hub set up; the app works from files alone. */
  address: z.string().nullable(),
  /** Who the hub says this token is, once a sync has reached it. */
  identity: HubIdentity.nullable(),
  state: z.enum(['off', 'syncing', 'synced', 'offline', 'error']),
  lastSyncAt: IsoDateTime.nullable(),
  /** Changes made here that the hub has not taken yet. */
  waiting: z.int().min(0),
  /** The last failure in one sentence (cleared by a sync that works). */
  lastError: z.string().nullable(),
});
export type HubStatus = z.infer<typeof HubStatus>;

/** Connect (an address and a token) or `{ disconnect: true }`. */
export const HubConfigureInput = z
  .object({
    address: z
      .string()
      .trim()
      .max(2000)
      .refine((value) => /^https?:\/\/[^\s/]+(\/.*)?$/i.test(value), 'give the hub address as http(s)://host:port')
      .optional(),
    token: z.string().trim().min(20, 'paste the whole token the hub admin gave you').max(200).optional(),
    disconnect: z.literal(true).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.disconnect) return;
    if (!input.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'required (http(s)://host:port)' });
    else if (!input.token) ctx.addIssue({ code: 'custom', path: ['token'], message: "required (the token from the hub's admin)" });
  });
export type HubConfigureInput = z.infer<typeof HubConfigureInput>;

/** What one sync moved, for the CLI's summary and the status line. */
export const SyncSummary = z.object({
  pushed: z.record(z.string(), z.int()),
  pulled: z.record(z.string(), z.int()),
  stale: z.int(),
  refused: z.array(z.object({ key: z.string(), reason: z.string() })),
  conflicts: z.int(),
  identity: HubIdentity,
});
export type SyncSummary = z.infer<typeof SyncSummary>;
