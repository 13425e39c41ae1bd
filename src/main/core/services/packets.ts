import canonicalize from 'canonicalize';
import type { PacketFormat, PacketVerdict } from '../../../shared/packet';
import { nowOf, type CoreContext } from '../context';
import { buildPacket, signPacket } from '../packets/build';
import { packetHtml } from '../packets/html';
import { packetMarkdown } from '../packets/markdown';
import { attachPacket } from '../packets/pdf-attachment';
import { chromiumPrinter } from '../packets/pdf';
import { verifyPacket } from '../packets/verify';

export interface PacketRequest {
  candidateId: string;
  format: PacketFormat;
  includePrivateNotes?: boolean;
  /** The paper a PDF is laid out for. */
  paper?: 'a4' | 'letter';
}

const EXTENSIONS: Record<PacketFormat, string> = { json: 'json', html: 'html', md: 'md', pdf: 'pdf' };

/**
 * One candidate's decision packet in one format, signed by this installation, and recorded (its
 * hash, format and exporter) in the decision's audit trail. A PDF is printed by the desktop app's
 * Electron, or by Chromium from the command line and serve mode; without either it is refused in one
 * line and nothing is written.
 */
export async function exportPacket(ctx: CoreContext, request: PacketRequest): Promise<{ fileName: string; file: Buffer; sha256: string }> {
  const signed = signPacket(ctx, buildPacket(ctx, request.candidateId, { includePrivateNotes: request.includePrivateNotes ?? false }));
  const { packet } = signed;
  let file: Buffer;
  switch (request.format) {
    case 'json':
      file = Buffer.from(`${JSON.stringify(signed, null, 2)}\n`, 'utf8');
      break;
    case 'html':
      file = Buffer.from(packetHtml(signed), 'utf8');
      break;
    case 'md':
      file = Buffer.from(packetMarkdown(signed), 'utf8');
      break;
    case 'pdf': {
      const print = ctx.desktop?.printPdf ?? chromiumPrinter();
      const pages = await print(packetHtml(signed, { pageSize: request.paper === 'letter' ? 'Letter' : 'A4' }));
      file = await attachPacket(pages, canonicalize(signed)!, `Decision packet — ${packet.candidate.name}`);
      break;
    }
  }
  ctx.repos.decisions.recordPacket({
    id: ctx.newId(),
    candidateId: packet.candidate.id,
    decisionId: packet.decision.current?.id ?? null,
    format: request.format,
    hash: signed.integrity.sha256,
    signerKey: ctx.keys.publicKey,
    exportedBy: ctx.meId,
    at: nowOf(ctx),
  });
  const slug = packet.candidate.name.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'candidate';
  return { fileName: `decision-packet-${slug}-${packet.generatedAt.slice(0, 10)}.${EXTENSIONS[request.format]}`, file, sha256: signed.integrity.sha256 };
}

/** Checks a packet file against its signatures and, for HTML and Markdown, its visible text; says whether this installation knows the signer. */
export function checkPacket(ctx: CoreContext, file: Buffer): Promise<PacketVerdict> {
  return verifyPacket(file, (key) => key === ctx.keys.publicKey || ctx.repos.keyEvents.isPinned(key) || ctx.repos.keyEvents.all().some((e) => e.oldKey === key || e.newKey === key));
}
