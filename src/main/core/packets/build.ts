import canonicalize from 'canonicalize';
import { sign } from 'node:crypto';
import { PACKET_FORMAT, PACKET_SCHEMA_VERSION, type DecisionPacket, type SignedPacket } from '../../../shared/packet';
import { nowOf, type CoreContext } from '../context';
import { fingerprint } from '../provenance/keys';
import { rubricHash, sha256, travelling } from '../provenance/revisions';
import { debrief } from '../services/debrief';

export interface PacketOptions {
  /** Put my own private notes in (marked private everywhere); never anyone else's (they are not here). */
  includePrivateNotes?: boolean;
}

/** The candidate's packet from what this installation holds (independent scoring holds: see debrief). */
export function buildPacket(ctx: CoreContext, candidateId: string, options: PacketOptions = {}): DecisionPacket {
  const { repos } = ctx;
  const d = debrief(ctx, candidateId);
  const candidate = repos.candidates.get(candidateId)!;
  const versionIds = [...new Set(d.sessions.map((s) => s.rubric.versionId))];
  const rubrics = versionIds.flatMap((id) => {
    const v = repos.rubrics.version(id);
    if (!v) return [];
    return [{ versionId: v.id, name: v.name, version: v.version, contentHash: rubricHash(v), scaleMax: v.scaleMax, scaleLabels: v.scaleLabels, criteria: v.criteria.map((c) => ({ id: c.id, title: c.title, description: c.description, anchors: c.anchors })) }];
  });
  const scorecards = d.sessions.flatMap((s) => s.scorecards.map((sc) => ({ ...sc, session: s.title })));
  const signedScorecards = scorecards.map((sc) => ({
    scorecardId: sc.scorecardId,
    interviewerName: sc.interviewer.name,
    revisions: repos.scorecardRevisions.list(sc.scorecardId).map(travelling),
  }));
  const privateNotes = options.includePrivateNotes
    ? scorecards.flatMap((sc) => {
        if (sc.interviewer.id !== ctx.meId) return [];
        const text = repos.scorecards.get(sc.scorecardId)?.privateNote ?? '';
        return text ? [{ scorecardId: sc.scorecardId, session: sc.session, text }] : [];
      })
    : [];
  return {
    format: PACKET_FORMAT,
    schemaVersion: PACKET_SCHEMA_VERSION,
    generatedAt: nowOf(ctx),
    panelistVersion: ctx.version,
    candidate: { id: candidate.id, name: candidate.name, email: candidate.email, role: { id: candidate.roleId, title: candidate.roleTitle } },
    decision: d.decision,
    votes: d.votes,
    tally: d.tally,
    adjustment: d.adjustment,
    leniencyNote: d.leniencyNote,
    interviewers: d.interviewers,
    sessions: d.sessions,
    disagreements: d.disagreements,
    rubrics,
    signedScorecards,
    privateNotes,
  };
}

/** The bytes that are hashed and signed: RFC 8785 canonical JSON of the packet. */
export function packetBytes(packet: DecisionPacket): Buffer {
  return Buffer.from(canonicalize(packet)!, 'utf8');
}

/** Signs the packet with this installation's key: whoever edits it cannot sign it again as us. */
export function signPacket(ctx: CoreContext, packet: DecisionPacket): SignedPacket {
  const bytes = packetBytes(packet);
  const me = ctx.repos.interviewers.get(ctx.meId)?.name ?? 'Panelist user';
  return {
    packet,
    integrity: {
      algorithm: 'sha256+ed25519',
      sha256: sha256(bytes),
      signature: sign(null, bytes, ctx.keys.privateKey).toString('base64'),
      signer: { name: me, publicKey: ctx.keys.publicKey, fingerprint: fingerprint(ctx.keys.publicKey) },
    },
  };
}
