import { verify } from 'node:crypto';
import type { PacketFormat, PacketVerdict, SignedPacket } from '../../../shared/packet';
import { SignedPacket as SignedPacketSchema } from '../../../shared/packet';
import { fingerprint, publicKeyObject } from '../provenance/keys';
import { arrived, revisionIntegrityProblem, sha256, signedStatement } from '../provenance/revisions';
import { packetBytes } from './build';
import { packetHtml } from './html';
import { packetMarkdown } from './markdown';
import { embeddedPacket } from './pdf-attachment';

/** Whether this installation knows a public key (its own, a pinned interviewer's, one in a key change). */
export type KnownKey = (publicKey: string) => boolean;

/**
 * Checks a decision packet in any of its formats: the packet against its SHA-256 and the
 * exporter's Ed25519 signature, each scorecard against its author's signed revisions, and, for
 * HTML and Markdown, the file against a fresh rendering of the signed packet (an edit to the
 * visible text is caught, not only one to the embedded JSON).
 */
export async function verifyPacket(file: Buffer, knownKey: KnownKey): Promise<PacketVerdict> {
  const format = formatOf(file);
  const embedded = await extract(file, format);
  if (typeof embedded === 'string') return { intact: false, format, findings: [embedded], signer: null };
  const parsed = SignedPacketSchema.safeParse(embedded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { intact: false, format, findings: [`This is not a Panelist decision packet (at ${issue.path.join('.') || 'the top'}: ${issue.message}).`], signer: null };
  }
  const signed = parsed.data;
  const findings: string[] = [];
  findings.push(...packetFindings(signed));
  findings.push(...scorecardFindings(signed));
  if (format === 'html' && packetHtml(signed) !== file.toString('utf8')) findings.push('The visible text of the HTML was changed after it was signed: it differs from the signed packet it carries.');
  if (format === 'md' && packetMarkdown(signed) !== file.toString('utf8')) findings.push('The visible text of the Markdown was changed after it was signed: it differs from the signed packet it carries.');
  const { signer } = signed.integrity;
  const intact = findings.length === 0;
  if (intact) findings.push(`Intact: the packet and its ${signed.packet.signedScorecards.length} signed scorecards are as they were signed.`);
  return { intact, format, findings, signer: { name: signer.name, fingerprint: fingerprint(signer.publicKey), known: knownKey(signer.publicKey) } };
}

function formatOf(file: Buffer): PacketFormat {
  const head = file.subarray(0, 64).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('%pdf-')) return 'pdf';
  if (head.startsWith('<!doctype html')) return 'html';
  if (head.startsWith('{')) return 'json';
  return 'md';
}

const HTML_PAYLOAD = /<pre id="panelist-packet" hidden>([A-Za-z0-9+/=]*)<\/pre>/;
const MD_PAYLOAD = /<!-- panelist-packet ([A-Za-z0-9+/=]*) -->/;

/** The signed packet a file carries, or why there is none. */
async function extract(file: Buffer, format: PacketFormat): Promise<unknown> {
  const none = 'This file carries no Panelist decision packet (no signed packet inside).';
  try {
    if (format === 'json') return JSON.parse(file.toString('utf8'));
    if (format === 'pdf') return (await embeddedPacket(file)) ?? none;
    const match = (format === 'html' ? HTML_PAYLOAD : MD_PAYLOAD).exec(file.toString('utf8'));
    return match ? JSON.parse(Buffer.from(match[1]!, 'base64').toString('utf8')) : none;
  } catch (error) {
    return `The packet inside cannot be read (${error instanceof Error ? error.message : String(error)}).`;
  }
}

function packetFindings({ packet, integrity }: SignedPacket): string[] {
  const bytes = packetBytes(packet);
  const findings: string[] = [];
  if (sha256(bytes) !== integrity.sha256) findings.push('The packet was changed after it was signed: its content does not match its SHA-256.');
  if (!signatureVerifies(bytes, integrity)) findings.push(`The signature does not verify: the packet was changed, or ${integrity.signer.name}'s key did not sign it.`);
  if (fingerprint(integrity.signer.publicKey) !== integrity.signer.fingerprint) findings.push('The fingerprint printed for the signer is not that of the key that signed.');
  return findings;
}

function signatureVerifies(bytes: Buffer, integrity: SignedPacket['integrity']): boolean {
  try {
    return verify(null, bytes, publicKeyObject(integrity.signer.publicKey), Buffer.from(integrity.signature, 'base64'));
  } catch {
    // Not an Ed25519 key at all.
    return false;
  }
}

/** Each scorecard: its revisions verify, and what the packet shows of it is what its author signed last. */
function scorecardFindings({ packet }: SignedPacket): string[] {
  const findings: string[] = [];
  const shown = new Map(packet.sessions.flatMap((s) => s.scorecards.map((sc) => [sc.scorecardId, { session: s, scorecard: sc }] as const)));
  for (const card of packet.signedScorecards) {
    const who = `The scorecard by ${card.interviewerName}`;
    const problems = card.revisions.flatMap((r) => {
      const problem = revisionIntegrityProblem(arrived(card.scorecardId, r));
      return problem ? [`${who}, revision ${r.revision}: ${problem}.`] : [];
    });
    findings.push(...problems);
    const head = card.revisions.at(-1);
    const view = shown.get(card.scorecardId);
    if (problems.length || !head || !view) continue;
    const statement = signedStatement(Buffer.from(head.bytes, 'base64'));
    const scores = new Map(statement.scores.map((s) => [s.criterionId, s]));
    const same =
      statement.recommendation === view.scorecard.recommendation &&
      statement.takeaways === view.scorecard.takeaways &&
      view.session.criteria.every((c) => {
        const score = c.scores.find((s) => s.scorecardId === card.scorecardId);
        const signedScore = scores.get(c.criterionId);
        return !score || (signedScore?.value === score.value && signedScore.evidence === score.evidence);
      });
    if (!same) findings.push(`${who} (${view.session.title}) shows other scores, notes or a recommendation than its author signed.`);
  }
  return findings;
}
