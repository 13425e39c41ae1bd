import { z } from 'zod';
import { BUNDLE_MAX_FILE_BYTES } from './bundle-facts';
import { Id, IsoDateTime, Revision } from './domain';

/**
 * A `.panelist` bundle: versioned JSON, gzip-compressed, that moves work between installations.
 * Every record keeps its UUID and revision; every submitted scorecard revision travels with the
 * exact bytes its author signed and the signature, so that provenance survives any number of hops.
 */

export const BUNDLE_FORMAT = 'panelist-bundle';
export const BUNDLE_SCHEMA_VERSION = 1;
export { BUNDLE_MAX_FILE_BYTES, BUNDLE_MAX_JSON_BYTES, panelSentence, type PanelSeat } from './bundle-facts';

export const BundleKind = z.enum(['panel-kit', 'scorecards', 'full']);
export type BundleKind = z.infer<typeof BundleKind>;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 hash');
const Text = (max: number) => z.string().max(max);

const BundleInterviewer = z
  .object({
    id: Id,
    /** Other installations' ids for the same person (met by email): every one of them means this interviewer. */
    aliases: z.array(Id).max(100),
    name: Text(200).min(1),
    email: Text(254),
    publicKey: Base64.nullable(),
    deactivatedAt: IsoDateTime.nullable(),
    revision: Revision,
    updatedAt: IsoDateTime,
  })
  .strict();

const BundleCriterion = z
  .object({
    id: Id,
    position: z.int().min(1),
    title: Text(200).min(1),
    description: Text(2000),
    weight: z.number().min(0).max(100),
    guidingQuestions: z.array(Text(500)).max(20),
    anchors: z.array(Text(1000)).max(7),
  })
  .strict();

const BundleRubricVersion = z
  .object({
    id: Id,
    version: z.int().min(1),
    scaleMax: z.int().min(4).max(7),
    scaleLabels: z.array(Text(60)).max(7),
    publishedAt: IsoDateTime,
    /** rubricHash() of the version: a scorecard names exactly these anchors. */
    contentHash: Hash,
    criteria: z.array(BundleCriterion).min(1).max(30),
  })
  .strict();

const BundleRubric = z
  .object({
    id: Id,
    name: Text(200).min(1),
    sessionKind: Text(60).min(1),
    purpose: Text(2000),
    versions: z.array(BundleRubricVersion).max(100),
  })
  .strict();

const BundleRole = z
  .object({
    id: Id,
    title: Text(200).min(1),
    team: Text(200),
    description: Text(5000),
    revision: Revision,
    updatedAt: IsoDateTime,
    loop: z
      .object({
        id: Id,
        stages: z
          .array(z.object({ id: Id, position: z.int().min(1), sessionKind: Text(60).min(1), title: Text(200).min(1), durationMinutes: z.int().min(5).max(480), rubricVersionId: Id }).strict())
          .max(12),
      })
      .strict(),
  })
  .strict();

const BundleCandidate = z
  .object({
    id: Id,
    roleId: Id,
    name: Text(200).min(1),
    email: Text(254),
    source: Text(200),
    note: Text(2000),
    timeZone: Text(64),
    archivedAt: IsoDateTime.nullable(),
    revision: Revision,
    updatedAt: IsoDateTime,
  })
  .strict();

const BundleInterview = z
  .object({
    id: Id,
    candidateId: Id,
    stageId: Id,
    scheduledAt: IsoDateTime,
    durationMinutes: z.int().min(5).max(480),
    videoLink: Text(2000),
    cancelledAt: IsoDateTime.nullable(),
    revision: Revision,
    updatedAt: IsoDateTime,
    panel: z.array(z.object({ interviewerId: Id, withdrawnAt: IsoDateTime.nullable() }).strict()).max(12),
  })
  .strict();

export const BundleRevision = z
  .object({
    revision: Revision,
    authorId: Id,
    hash: Hash,
    parentHash: Hash.nullable(),
    /** The exact bytes the author signed (canonical JSON), base64. */
    bytes: Base64,
    signature: Base64,
    publicKey: Base64,
    signedAt: IsoDateTime,
  })
  .strict();
export type BundleRevision = z.infer<typeof BundleRevision>;

const BundleScorecard = z
  .object({
    id: Id,
    interviewId: Id,
    interviewerId: Id,
    rubricVersionId: Id,
    revisions: z.array(BundleRevision).min(1).max(1000),
    events: z
      .array(z.object({ id: Id, at: IsoDateTime, actorId: Id, kind: Text(40), detail: z.record(z.string(), z.unknown()) }).strict())
      .max(2000),
  })
  .strict();

const BundleKeyEvent = z
  .object({
    hash: Hash,
    kind: z.enum(['rotation', 'revocation']),
    interviewerId: Id,
    oldKey: Base64,
    newKey: Base64,
    signerKey: Base64,
    bytes: Base64,
    signature: Base64,
    at: IsoDateTime,
  })
  .strict();

/** A panelist's second-round vote, signed by them on their installation; it travels like a scorecard. */
const BundleRevote = z
  .object({
    id: Id,
    candidateId: Id,
    interviewerId: Id,
    recommendation: z.enum(['strong_no', 'no', 'yes', 'strong_yes']),
    reason: Text(2000).nullable(),
    at: IsoDateTime,
    /** The exact bytes the panelist signed (canonical JSON), base64. */
    bytes: Base64,
    signature: Base64,
    publicKey: Base64,
  })
  .strict();
export type BundleRevote = z.infer<typeof BundleRevote>;

const BundleTombstone = z
  .object({
    candidateId: Id,
    erasedAt: IsoDateTime,
    erasedBy: Id,
    interviewIds: z.array(Id).max(1000),
    scorecardIds: z.array(Id).max(10_000),
  })
  .strict();

const SealedKey = z
  .object({
    kdf: z.literal('scrypt'),
    N: z.int().min(2 ** 14).max(2 ** 20),
    r: z.int().min(1).max(32),
    p: z.int().min(1).max(16),
    salt: Base64,
    cipher: z.literal('aes-256-gcm'),
    iv: Base64,
    tag: Base64,
    ciphertext: Base64,
  })
  .strict();

/** In a full bundle, with a passphrase: who made it, their private key encrypted (scrypt, AES-256-GCM). */
const BundleIdentity = z.object({ interviewerId: Id, name: Text(200), email: Text(254), publicKey: Base64, sealedKey: SealedKey }).strict();

/** In a full bundle: the maker's own unsigned work, which never travels to anyone else. */
const BundleOwnWork = z
  .object({
    drafts: z
      .array(
        z
          .object({
            id: Id,
            interviewId: Id,
            rubricVersionId: Id,
            recommendation: z.enum(['strong_no', 'no', 'yes', 'strong_yes']).nullable(),
            takeaways: Text(20_000),
            /** Present only when the maker asked for private notes; marked private wherever shown. */
            privateNote: Text(20_000).optional(),
            scores: z.array(z.object({ criterionId: Id, value: z.union([z.int().min(1).max(7), z.literal('not_assessed'), z.null()]), evidence: Text(20_000) }).strict()).max(30),
          })
          .strict(),
      )
      .max(100_000),
    /** Private notes of the maker's submitted scorecards, only when asked. */
    privateNotes: z.array(z.object({ scorecardId: Id, text: Text(20_000) }).strict()).max(1_000_000),
  })
  .strict();

export const Bundle = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
    kind: BundleKind,
    createdAt: IsoDateTime,
    createdBy: z.object({ interviewerId: Id, name: Text(200), publicKey: Base64 }).strict(),
    interviewers: z.array(BundleInterviewer).max(100_000),
    rubrics: z.array(BundleRubric).max(10_000),
    roles: z.array(BundleRole).max(10_000),
    candidates: z.array(BundleCandidate).max(1_000_000),
    interviews: z.array(BundleInterview).max(5_000_000),
    scorecards: z.array(BundleScorecard).max(5_000_000),
    tombstones: z.array(BundleTombstone).max(1_000_000),
    /** Every key rotation and revocation known to the maker: keys change without conflicts this way. */
    keyEvents: z.array(BundleKeyEvent).max(100_000),
    /** Signed second-round votes (bundles written before there were any have none). */
    revotes: z.array(BundleRevote).max(1_000_000).default([]),
    identity: BundleIdentity.optional(),
    ownWork: BundleOwnWork.optional(),
  })
  .strict();
export type Bundle = z.infer<typeof Bundle>;

/** What an import would do, before it does it. */
export const ImportPlanSummary = z.object({
  kind: BundleKind,
  createdBy: z.object({ name: z.string(), fingerprint: z.string() }),
  added: z.record(z.string(), z.int()),
  updated: z.record(z.string(), z.int()),
  unchanged: z.int(),
  conflicts: z.array(z.object({ kind: z.string(), recordId: Id, message: z.string() })),
  /** Keys seen for the first time (pinned on apply), with their fingerprints. */
  newKeys: z.array(z.object({ interviewerId: Id, name: z.string(), fingerprint: z.string() })),
  /** For a panel kit: the interviews it puts on my Today ("You are on the Architecture panel for Jane Doe, Tue 14:00"). */
  forMe: z.array(z.object({ interviewId: Id, session: z.string(), candidateName: z.string(), scheduledAt: IsoDateTime })),
  /**
   * Interviewers whose key in the bundle is not the one pinned here, with scorecards in it: the
   * import is refused until the user accepts each new key (`acceptKeys`), having compared the
   * fingerprints with the person.
   */
  keyQuestions: z.array(z.object({ interviewerId: Id, name: z.string(), offered: z.string(), pinned: z.string() })),
  /** A full bundle with its maker's identity: whether this import makes this installation that person. */
  identity: z.object({ name: z.string(), fingerprint: z.string(), adopted: z.boolean() }).nullable(),
});
export type ImportPlanSummary = z.infer<typeof ImportPlanSummary>;



/** A bundle file as it crosses the contract: base64 of the .panelist bytes. */
export const BundleData = z
  .string()
  .max(Math.ceil((BUNDLE_MAX_FILE_BYTES * 4) / 3) + 4, `a bundle may be at most ${BUNDLE_MAX_FILE_BYTES / 1024 / 1024} MB`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

/** Keep this installation's version, or take the other machine's (where this installation can: see `choices`). */
export const ConflictChoice = z.enum(['keep-this', 'take-theirs']);
export type ConflictChoice = z.infer<typeof ConflictChoice>;

export const OpenConflict = z.object({
  id: Id,
  kind: z.enum(['scorecard-fork', 'record', 'key', 'draft-superseded']),
  recordId: Id,
  message: z.string(),
  recordedAt: IsoDateTime,
  /** What the user may choose here; another panelist's scorecard fork is theirs to settle, so only 'keep-this'. */
  choices: z.array(ConflictChoice),
});
export type OpenConflict = z.infer<typeof OpenConflict>;
