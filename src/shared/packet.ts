import { z } from 'zod';
import { BundleRevision } from './bundle';
import { CandidateAdjustment } from './calibration-report';
import { Debrief, DebriefSession, DecisionRevision, Disagreement, InterviewerContext, Vote } from './decisions';
import { Id, IsoDateTime } from './domain';

export const PACKET_FORMAT = 'panelist-decision-packet';
export const PACKET_SCHEMA_VERSION = 1;
export const PACKET_FORMATS = ['json', 'html', 'md', 'pdf'] as const;
export type PacketFormat = (typeof PACKET_FORMATS)[number];

/**
 * One candidate's decision packet: everything a decision needs, signed as a whole by the
 * installation that exported it, each scorecard keeping its author's signed revisions. The HTML,
 * Markdown and PDF packets are rendered from this and carry it, so each can be verified.
 */
export const DecisionPacket = z
  .object({
    format: z.literal(PACKET_FORMAT),
    schemaVersion: z.literal(PACKET_SCHEMA_VERSION),
    generatedAt: IsoDateTime,
    panelistVersion: z.string(),
    candidate: z.object({ id: Id, name: z.string(), email: z.string(), role: z.object({ id: Id, title: z.string() }) }),
    decision: z.object({ current: DecisionRevision.nullable(), history: z.array(DecisionRevision) }),
    votes: z.array(Vote),
    tally: Debrief.shape.tally,
    adjustment: CandidateAdjustment,
    leniencyNote: z.string().nullable(),
    interviewers: z.array(InterviewerContext),
    sessions: z.array(DebriefSession),
    disagreements: z.array(Disagreement),
    rubrics: z.array(
      z.object({
        versionId: Id,
        name: z.string(),
        version: z.int(),
        contentHash: z.string(),
        scaleMax: z.int(),
        scaleLabels: z.array(z.string()),
        criteria: z.array(z.object({ id: Id, title: z.string(), description: z.string(), anchors: z.array(z.string()) })),
      }),
    ),
    /** Every scorecard's signed revisions, as its author signed them. */
    signedScorecards: z.array(z.object({ scorecardId: Id, interviewerName: z.string(), revisions: z.array(BundleRevision) })),
    /** The exporter's own private notes, only when they chose to include them; marked private wherever shown. */
    privateNotes: z.array(z.object({ scorecardId: Id, session: z.string(), text: z.string() })),
  })
  .strict();
export type DecisionPacket = z.infer<typeof DecisionPacket>;

/** The packet with its integrity: SHA-256 of its RFC 8785 canonical JSON, and the exporter's Ed25519 signature of those bytes. */
export const SignedPacket = z
  .object({
    packet: DecisionPacket,
    integrity: z
      .object({
        algorithm: z.literal('sha256+ed25519'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        signature: z.string(),
        signer: z.object({ name: z.string(), publicKey: z.string(), fingerprint: z.string() }),
      })
      .strict(),
  })
  .strict();
export type SignedPacket = z.infer<typeof SignedPacket>;

/** What `verify-packet` found. */
export const PacketVerdict = z.object({
  intact: z.boolean(),
  format: z.enum(PACKET_FORMATS),
  /** One line per finding: what is intact or changed (the packet, its visible text, a scorecard). */
  findings: z.array(z.string()),
  signer: z.object({ name: z.string(), fingerprint: z.string(), known: z.boolean() }).nullable(),
});
export type PacketVerdict = z.infer<typeof PacketVerdict>;
