// The security gate of `npm test`: @doyensec/electronegativity over src. Its exit code is always
// 0, so its CSV is read: any HIGH finding fails, and so does any MEDIUM one that is not reviewed
// with a one-line reason in the README's Security section ("- `CHECK_NAME`: why").
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

const root = new URL('..', import.meta.url).pathname;
const electron = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const scratch = mkdtempSync(join(tmpdir(), 'panelist-electronegativity-'));
const report = join(scratch, 'findings.csv');

try {
  // electronegativity writes its CSV header and then its rows with two asynchronous writes; on
  // Node's default pool of four threads the header's truncation can land after the rows and wipe
  // them. One thread runs the file operations in the order they were asked for.
  const run = spawnSync(join(root, 'node_modules', '.bin', 'electronegativity'), ['-i', join(root, 'src'), '-o', report, '-e', electron], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
  });
  let rows;
  try {
    rows = parse(readFileSync(report, 'utf8'), { columns: (header) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true });
  } catch (error) {
    console.error(`electronegativity wrote no readable report (${String(error)}):\n${run.stdout}\n${run.stderr}`);
    process.exit(1);
  }
  // The scan always reports the renderer's CSP (LOW): a report without a single finding was lost, not clean.
  if (rows.length === 0) {
    console.error(`electronegativity's report holds no finding at all, not even the CSP it always lists: the report was lost.\n${run.stdout}\n${run.stderr}`);
    process.exit(1);
  }

  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /^## Security\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const reviewed = new Map([...section.matchAll(/^- `([A-Z_]+)`: (.+)$/gm)].map((m) => [m[1], m[2]]));

  const blocking = rows.filter((r) => r.severity === 'HIGH' || (r.severity === 'MEDIUM' && !reviewed.has(r.issue)));
  const where = (r) => `${r.issue} (${r.severity}) at ${r.filename.replace(`${root}`, '')}:${r.location}: ${r.description}`;
  for (const r of rows.filter((r) => r.severity === 'MEDIUM' && reviewed.has(r.issue))) console.log(`reviewed: ${where(r)} — ${reviewed.get(r.issue)}`);
  for (const r of blocking) console.error(`NOT ALLOWED: ${where(r)}`);
  console.log(`electronegativity (Electron ${electron}): ${rows.length} findings, ${blocking.length} not allowed (HIGH, or MEDIUM not reviewed in the README's Security section).`);
  process.exit(blocking.length ? 1 : 0);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
