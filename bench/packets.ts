import { join } from 'node:path';
import { dispatch } from '../src/shared/dispatch';
import { openCore } from '../src/main/core';
import { findChromium } from '../src/main/core/packets/pdf';
import { checkPacket, exportPacket } from '../src/main/core/services/packets';
import { median } from './stats';

const REPEATS = 9;

/**
 * Decision packets on a demo of 200 candidates: one full candidate (the one with the most
 * scorecards) as HTML, as PDF through Chromium, and verified; then HTML packets for every candidate
 * of the role, per candidate. Medians of repeated runs.
 */
export async function packetBench(scratch: string): Promise<{ shape: string; htmlMs: number; pdfMs: number | null; verifyMs: number; roleHtmlMsPerCandidate: number }> {
  const core = await openCore({ dataDir: join(scratch, 'packets'), version: 'bench' });
  try {
    const loaded = await dispatch(core.handlers, 'demo:load', { candidates: 200, interviewers: 40, seed: 13 });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const db = core.ctx.db;
    // Candidates whose panel I may read: none of my seats on their loop is unsubmitted.
    const visible = db
      .prepare(
        `SELECT c.id, count(s.id) AS n FROM candidates c JOIN interviews i ON i.candidate_id = c.id LEFT JOIN scorecards s ON s.interview_id = i.id AND s.status = 'submitted'
         WHERE NOT EXISTS (SELECT 1 FROM interviews i2 JOIN panel_assignments p ON p.interview_id = i2.id AND p.interviewer_id = ? AND p.withdrawn_at IS NULL
                           LEFT JOIN scorecards s2 ON s2.interview_id = i2.id AND s2.interviewer_id = p.interviewer_id
                           WHERE i2.candidate_id = c.id AND (s2.status IS NULL OR s2.status <> 'submitted'))
         GROUP BY c.id ORDER BY n DESC`,
      )
      .all(core.ctx.meId) as { id: string; n: number }[];
    const full = visible[0]!;
    const sessions = db.prepare(`SELECT count(DISTINCT i.id) FROM interviews i JOIN scorecards s ON s.interview_id = i.id AND s.status = 'submitted' WHERE i.candidate_id = ?`).pluck().get(full.id) as number;
    const time = async (run: () => Promise<unknown>, repeats = REPEATS) => {
      const samples: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t = performance.now();
        await run();
        samples.push(performance.now() - t);
      }
      return median(samples);
    };
    const htmlMs = await time(() => exportPacket(core.ctx, { candidateId: full.id, format: 'html' }));
    const pdfMs = findChromium() ? await time(() => exportPacket(core.ctx, { candidateId: full.id, format: 'pdf' }), 3) : null;
    const html = (await exportPacket(core.ctx, { candidateId: full.id, format: 'html' })).file;
    const verifyMs = await time(() => checkPacket(core.ctx, html));
    const t = performance.now();
    for (const c of visible) await exportPacket(core.ctx, { candidateId: c.id, format: 'html' });
    const roleHtmlMsPerCandidate = (performance.now() - t) / visible.length;
    return { shape: `${sessions} sessions, ${full.n} scorecards; batch of ${visible.length} candidates`, htmlMs, pdfMs, verifyMs, roleHtmlMsPerCandidate };
  } finally {
    core.close();
  }
}
