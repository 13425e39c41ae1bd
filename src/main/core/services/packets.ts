import canonicalize from 'canonicalize';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/result';
import type { PacketFormat, PacketVerdict } from '../../../shared/packet';
import { nowOf, type CoreContext } from '../context';
import { buildPacket, signPacket } from '../packets/build';
import { packetHtml } from '../packets/html';
import { packetMarkdown } from '../packets/markdown';
import { attachPacket } from '../packets/pdf-attachment';
import { chromiumPrinter } from '../packets/pdf';
import { verifyPacket } from '../packets/verify';
import { hiddenCandidates } from '../visibility';
import { runJob } from './jobs';

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
  // Whether a PDF can be printed at all is asked first: a refusal changes nothing.
  const print = request.format === 'pdf' ? (ctx.desktop?.printPdf ?? chromiumPrinter()) : null;
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
      const pages = await print!(packetHtml(signed, { pageSize: request.paper === 'letter' ? 'Letter' : 'A4' }));
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
  return { fileName: `decision-packet-${slugOf(packet.candidate.name)}-${packet.generatedAt.slice(0, 10)}.${EXTENSIONS[request.format]}`, file, sha256: signed.integrity.sha256 };
}

export interface RolePacketsRequest {
  roleId: string;
  format: PacketFormat;
  paper?: 'a4' | 'letter';
  /** Where to write; by default a new folder in the user's Downloads (else in the data folder's exports). */
  folder?: string;
}

/**
 * A packet for every candidate of a role, written into one new folder, one whole file at a time
 * (each written beside and renamed). Under a ticket it says how far it got and stops between two
 * files when cancelled, keeping those already written. Candidates I may not read yet (an
 * unsubmitted seat of mine on their loop) are skipped and named.
 */
export async function exportRolePackets(ctx: CoreContext, request: RolePacketsRequest, ticket: string): Promise<RolePackets> {
  const role = ctx.repos.exchange.role(request.roleId);
  if (!role) throw new AppError('not_found', `No role with id ${request.roleId}.`, 'roleId');
  const candidates = ctx.repos.exchange.candidateIds(role.id).flatMap((id) => {
    const c = ctx.repos.candidates.get(id);
    return c ? [{ id, name: c.name }] : [];
  });
  const folder = request.folder ?? defaultFolder(ctx, role.title);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return runJob(ctx, ticket, async ({ signal, progress }) => {
    const result: RolePackets = { folder, written: 0, total: candidates.length, skipped: [], cancelled: false };
    for (const [index, candidate] of candidates.entries()) {
      progress({ phase: 'writing', done: index, total: candidates.length });
      // Let other calls (windows, the HTTP server) in between two packets.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) return { ...result, cancelled: true };
      if (hiddenCandidates(ctx).has(candidate.id)) {
        result.skipped.push({ name: candidate.name, reason: 'hidden until you submit your scorecard for them' });
        continue;
      }
      const { fileName, file } = await exportPacket(ctx, { candidateId: candidate.id, format: request.format, paper: request.paper ?? 'a4' });
      const path = join(folder, fileName);
      writeFileSync(`${path}.part`, file, { mode: 0o600 });
      renameSync(`${path}.part`, path);
      result.written++;
    }
    progress({ phase: 'writing', done: candidates.length, total: candidates.length });
    return result;
  });
}

export interface RolePackets {
  folder: string;
  written: number;
  total: number;
  skipped: { name: string; reason: string }[];
  cancelled: boolean;
}

function defaultFolder(ctx: CoreContext, roleTitle: string): string {
  const downloads = join(homedir(), 'Downloads');
  const base = existsSync(downloads) ? downloads : join(ctx.dataDir, 'exports');
  const stamp = nowOf(ctx).slice(0, 16).replace(/[:T]/g, '-');
  return join(base, `Panelist packets ${slugOf(roleTitle)} ${stamp}`);
}

function slugOf(text: string): string {
  return text.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'untitled';
}

/** Checks a packet file against its signatures and, for HTML and Markdown, its visible text; says whether this installation knows the signer. */
export function checkPacket(ctx: CoreContext, file: Buffer): Promise<PacketVerdict> {
  return verifyPacket(file, (key) => key === ctx.keys.publicKey || ctx.repos.keyEvents.isPinned(key) || ctx.repos.keyEvents.all().some((e) => e.oldKey === key || e.newKey === key));
}
