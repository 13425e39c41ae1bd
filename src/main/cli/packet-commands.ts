import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Decision } from '../../shared/decisions';
import { PACKET_FORMATS, type PacketFormat } from '../../shared/packet';
import { AppError } from '../../shared/result';
import { cancelJob } from '../core/services/jobs';
import { checkPacket, exportPacket, exportRolePackets } from '../core/services/packets';
import { parse, UsageError } from './args';
import { call, DATA_DIR, withCore, type Io } from './run';

// Decisions and decision packets from the command line: decide, packet, packets, verify-packet.

const PACKET_OPTIONS = {
  ...DATA_DIR,
  format: { type: 'string' },
  out: { type: 'string' },
  paper: { type: 'string' },
  'private-notes': { type: 'boolean' },
} as const;

function packetFormat(value: string | undefined): PacketFormat {
  const format = PACKET_FORMATS.find((f) => f === value);
  if (!format) throw new UsageError(`--format needs one of: ${PACKET_FORMATS.join(', ')}`);
  return format;
}

function paperOf(value: string | undefined): 'a4' | 'letter' {
  if (value === undefined || value === 'a4' || value === 'letter') return value ?? 'a4';
  throw new UsageError('--paper needs a4 or letter');
}

/** Written beside and renamed: a failed write leaves no half file. */
function writeWhole(path: string, file: Buffer): void {
  writeFileSync(`${path}.part`, file, { mode: 0o600 });
  renameSync(`${path}.part`, path);
}

/** `decide CANDIDATE_ID --decision hire|no-hire|hold --rationale TEXT [--reason TEXT]` */
export async function decideCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, decision: { type: 'string' }, rationale: { type: 'string' }, reason: { type: 'string' } });
  const [candidateId, ...extra] = positionals;
  if (!candidateId || extra.length) throw new UsageError('decide takes one CANDIDATE_ID');
  const decision = Decision.safeParse(values.decision?.replace('-', '_'));
  if (!decision.success) throw new UsageError('--decision needs one of: hire, no-hire, hold');
  if (!values.rationale) throw new UsageError('--rationale TEXT is needed: say why');
  return withCore(values['data-dir'], async (core) => {
    const seenRevision = (await call(core, 'debrief:get', { candidateId })).decision.current?.revision ?? 0;
    const saved = await call(core, 'decisions:record', { candidateId, decision: decision.data, rationale: values.rationale!, seenRevision, ...(values.reason ? { changeReason: values.reason } : {}) });
    io.out(`Recorded: ${decision.data.replace('_', ' ')} (revision ${saved.revision}).`);
    return 0;
  });
}

/** `packet CANDIDATE_ID --format pdf|html|md|json --out FILE [--paper a4|letter] [--private-notes]` */
export async function packetCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, PACKET_OPTIONS);
  const [candidateId, ...extra] = positionals;
  if (!candidateId || extra.length) throw new UsageError('packet takes one CANDIDATE_ID');
  const format = packetFormat(values.format);
  const paper = paperOf(values.paper);
  if (!values.out) throw new UsageError('--out FILE is needed');
  const out = values.out;
  return withCore(values['data-dir'], async (core) => {
    try {
      const { file, sha256 } = await exportPacket(core.ctx, { candidateId, format, paper, includePrivateNotes: values['private-notes'] ?? false });
      writeWhole(out, file);
      io.out(`Wrote ${out} (${format}, ${(file.length / 1024).toFixed(1)} KB, packet SHA-256 ${sha256}).`);
      return 0;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      io.err(`panelist: ${error.message} Nothing was written.`);
      return 1;
    }
  });
}

/** `packets --role ROLE_ID --format … --out DIR`: every candidate of the role; Ctrl-C stops between two packets. */
export async function packetsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...PACKET_OPTIONS, role: { type: 'string' } });
  if (positionals.length) throw new UsageError(`packets takes no ${positionals[0]}`);
  if (!values.role) throw new UsageError('--role ROLE_ID is needed');
  const format = packetFormat(values.format);
  const paper = paperOf(values.paper);
  if (!values.out) throw new UsageError('--out DIR is needed');
  const folder = values.out;
  const roleId = values.role;
  return withCore(values['data-dir'], async (core) => {
    const ticket = core.ctx.newId();
    const stop = () => cancelJob(core.ctx, ticket);
    process.once('SIGINT', stop);
    const unsubscribe = core.subscribe((event) => {
      if (event.name === 'job:progress' && event.payload.ticket === ticket && event.payload.done > 0) io.out(`${event.payload.done}/${event.payload.total}`);
    });
    try {
      const result = await exportRolePackets(core.ctx, { roleId, format, paper, folder }, ticket);
      for (const s of result.skipped) io.err(`skipped ${s.name}: ${s.reason}`);
      const wrote = `${result.written} ${result.written === 1 ? 'packet' : 'packets'} to ${result.folder}`;
      if (result.cancelled) {
        io.err(`panelist: stopped; wrote ${wrote}, each file whole.`);
        return 1;
      }
      io.out(`Wrote ${wrote}${result.skipped.length ? `; skipped ${result.skipped.length}` : ''}.`);
      return 0;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      io.err(`panelist: ${error.message}`);
      return 1;
    } finally {
      unsubscribe();
      process.off('SIGINT', stop);
    }
  });
}

/** `verify-packet FILE`: exit 0 only when intact. */
export async function verifyPacketCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, json: { type: 'boolean' } });
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError('verify-packet takes one FILE');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return withCore(values['data-dir'], async (core) => {
    const verdict = await checkPacket(core.ctx, bytes);
    if (values.json) io.out(JSON.stringify(verdict, null, 2));
    else {
      io.out(`${file}: ${verdict.intact ? 'intact' : 'CHANGED'} (${verdict.format} packet)`);
      for (const line of verdict.findings) io.out(`  ${line}`);
      if (verdict.signer) {
        io.out(`  Signed by ${verdict.signer.name}, key ${verdict.signer.fingerprint}: ${verdict.signer.known ? 'a key this installation knows' : 'a key this installation does not know (compare the fingerprint with them)'}.`);
      }
    }
    return verdict.intact ? 0 : 1;
  });
}
