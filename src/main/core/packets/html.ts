import canonicalize from 'canonicalize';
import type { DebriefSession, InterviewerContext } from '../../../shared/decisions';
import type { SignedPacket } from '../../../shared/packet';
import { adjustmentLine, changedMinds, decision, fixed, level, PRIVATE_MARK, recommendation, sessionKind, signedFixed, tallyLine, utc } from './wording';

/**
 * The packet as one self-contained HTML file: print styles for A4 and Letter, inline SVG charts,
 * no scripts and nothing fetched. Every text from people is escaped and marked `dir="auto"` (names
 * and notes in any script read the right way). The signed packet rides along base64-encoded in a
 * hidden element; `verify-packet` re-renders this file from it and compares, so an edit to the
 * visible text is caught too. Deterministic: the same signed packet gives the same bytes.
 */
export function packetHtml(signed: SignedPacket, print: { pageSize?: 'A4' | 'Letter' } = {}): string {
  const p = signed.packet;
  const title = `Decision packet — ${p.candidate.name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Panelist ${esc(p.panelistVersion)}">
<title>${esc(title)}</title>
<style>${STYLE}${print.pageSize ? `@page { size: ${print.pageSize}; }\n` : ''}</style>
</head>
<body>
<header>
<h1>Decision packet: <bdi>${esc(p.candidate.name)}</bdi></h1>
<p class="meta"><bdi>${esc(p.candidate.role.title)}</bdi>${p.candidate.email ? ` · <bdi>${esc(p.candidate.email)}</bdi>` : ''} · generated ${utc(p.generatedAt)} by Panelist ${esc(p.panelistVersion)}</p>
</header>
${decisionSection(signed)}
${votesSection(signed)}
${scoresSection(signed)}
${p.sessions.map((s) => sessionSection(signed, s)).join('\n')}
${disagreementsSection(signed)}
${privateNotesSection(signed)}
${rubricsSection(signed)}
${integritySection(signed)}
<pre id="panelist-packet" hidden>${Buffer.from(canonicalize(signed)!, 'utf8').toString('base64')}</pre>
</body>
</html>
`;
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text from people: escaped, direction from its own first strong character, line breaks kept. */
function said(text: string): string {
  return `<span class="said" dir="auto">${esc(text)}</span>`;
}

function decisionSection({ packet: p }: SignedPacket): string {
  const current = p.decision.current;
  const body = current
    ? `<p class="decision decision-${current.decision}"><strong>${decision(current.decision)}</strong> — decided by <bdi>${esc(current.decidedBy.name)}</bdi>, ${utc(current.decidedAt)} (revision ${current.revision})</p>
<p><strong>Rationale.</strong> ${said(current.rationale)}</p>`
    : '<p class="decision">No decision is recorded yet.</p>';
  const history =
    p.decision.history.length > 1
      ? `<h3>History</h3>
<table><thead><tr><th>Revision</th><th>Decision</th><th>By</th><th>When</th><th>Why it changed</th></tr></thead><tbody>
${p.decision.history
  .map((h) => `<tr><td>${h.revision}</td><td>${decision(h.decision)}</td><td><bdi>${esc(h.decidedBy.name)}</bdi></td><td>${utc(h.decidedAt)}</td><td>${h.changeReason ? said(h.changeReason) : '—'}</td></tr>`)
  .join('\n')}
</tbody></table>`
      : '';
  return `<section><h2>Decision</h2>\n${body}\n${history}</section>`;
}

function votesSection({ packet: p }: SignedPacket): string {
  const rows = p.votes
    .map(
      (v) =>
        `<tr${v.changedMind ? ' class="changed"' : ''}><td><bdi>${esc(v.interviewer.name)}</bdi></td><td>${recommendation(v.round1)}</td><td>${v.round2 ? recommendation(v.round2.recommendation) : '—'}</td><td>${
          v.round2?.reason ? said(v.round2.reason) : '—'
        }</td><td>${v.round2 ? (v.round2.signed ? 'signed by them' : `recorded by <bdi>${esc(v.round2.recordedBy.name)}</bdi>`) : '—'}</td></tr>`,
    )
    .join('\n');
  return `<section><h2>Votes</h2>
<p>Round 1 (first submitted): ${tallyLine(p.tally.round1)}. Now: ${tallyLine(p.tally.current)}.</p>
<table><thead><tr><th>Panelist</th><th>Round 1</th><th>Round 2</th><th>Why it changed</th><th>Round 2 entered</th></tr></thead><tbody>
${rows}
</tbody></table>
<p class="small">${changedMinds(p.votes.filter((v) => v.changedMind).length)}</p>
</section>`;
}

function scoresSection({ packet: p }: SignedPacket): string {
  const rows = p.interviewers
    .map(
      (i) =>
        `<tr><td><bdi>${esc(i.interviewer.name)}</bdi></td><td class="num">${signedFixed(i.effect)}</td>${i.ci95 ? `<td class="num">[${signedFixed(i.ci95[0])}, ${signedFixed(i.ci95[1])}]</td>` : '<td>cannot be bounded</td>'}<td class="num">${i.candidates}</td><td>${
          i.tooFew ? 'too few scorecards to tell' : i.flag ? i.flag : 'within the usual range'
        }</td></tr>`,
    )
    .join('\n');
  return `<section><h2>Scores and leniency</h2>
<p>${esc(adjustmentLine(p))}</p>
${p.leniencyNote ? `<p class="note">${esc(p.leniencyNote)}</p>` : leniencyChart(p.interviewers)}
<table><thead><tr><th>Interviewer</th><th>Leniency</th><th>95% interval</th><th>Candidates scored</th><th>Reading</th></tr></thead><tbody>
${rows}
</tbody></table>
<p class="small">Leniency is in scale points, across every candidate the interviewer scored: + scores higher than an average interviewer. An adjusted score is the score minus the interviewer’s leniency.</p>
</section>`;
}

/** Each interviewer's leniency with its 95% interval, on one axis through 0. */
function leniencyChart(people: InterviewerContext[]): string {
  if (!people.length) return '';
  const reach = Math.max(0.5, ...people.flatMap((i) => [i.effect, ...(i.ci95 ?? [])]).map(Math.abs));
  const width = 640;
  const label = 170;
  const row = 22;
  const height = people.length * row + 28;
  const x = (v: number) => label + ((Math.max(-reach, Math.min(reach, v)) + reach) / (2 * reach)) * (width - label - 20);
  const rows = people
    .map((i, k) => {
      const y = 14 + k * row;
      const interval = i.ci95 ? `<line x1="${x(i.ci95[0]).toFixed(1)}" x2="${x(i.ci95[1]).toFixed(1)}" y1="${y}" y2="${y}" class="interval"/>` : '';
      return `<text x="${label - 8}" y="${y + 4}" text-anchor="end">${esc(i.interviewer.name.slice(0, 24))}</text>${interval}<circle cx="${x(i.effect).toFixed(1)}" cy="${y}" r="4"/>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="Leniency of each interviewer with its 95% interval" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="0" y2="${height - 20}" class="axis"/>${rows}
<text x="${x(-reach).toFixed(1)}" y="${height - 4}">${signedFixed(-reach, 1)}</text><text x="${x(0).toFixed(1)}" y="${height - 4}" text-anchor="middle">0</text><text x="${x(reach).toFixed(1)}" y="${height - 4}" text-anchor="end">${signedFixed(reach, 1)}</text>
</svg>`;
}

function sessionSection({ packet: p }: SignedPacket, s: DebriefSession): string {
  const rubric = p.rubrics.find((r) => r.versionId === s.rubric.versionId);
  const criteria = s.criteria
    .map((c) => {
      const description = rubric?.criteria.find((rc) => rc.id === c.criterionId)?.description ?? '';
      const rows = c.scores
        .map(
          (sc) =>
            `<tr><td><bdi>${esc(sc.interviewer.name)}</bdi></td><td>${esc(level(sc.value, s.rubric.scaleLabels))}</td><td class="num">${fixed(sc.adjusted)}</td><td>${sc.anchor ? said(sc.anchor) : '—'}</td><td>${sc.evidence ? said(sc.evidence) : '—'}</td></tr>`,
        )
        .join('\n');
      return `<h4>${esc(c.title)}${c.spread ? ` <span class="spread">spread ${c.spread}</span>` : ''}</h4>
${description ? `<p class="small">${said(description)}</p>` : ''}
<table class="scores"><colgroup><col style="width:15%"><col style="width:12%"><col style="width:11%"><col style="width:28%"><col style="width:34%"></colgroup>
<thead><tr><th>Interviewer</th><th>Level</th><th>Adjusted</th><th>That level’s anchor</th><th>Evidence</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    })
    .join('\n');
  const scorecards = s.scorecards
    .map(
      (sc) =>
        `<li><bdi>${esc(sc.interviewer.name)}</bdi>: recommends <strong>${recommendation(sc.recommendation)}</strong>${sc.submittedAt ? `, submitted ${utc(sc.submittedAt)}` : ''} (revision ${sc.revision})${sc.takeaways ? `<br>${said(sc.takeaways)}` : ''}</li>`,
    )
    .join('\n');
  const kind = sessionKind(s.sessionKind);
  return `<section class="session"><h2>${esc(s.title)} <span class="kind">${kind === s.title ? '' : `${esc(kind)} · `}${utc(s.scheduledAt)}</span></h2>
<p class="small">Rubric: <bdi>${esc(s.rubric.name)}</bdi> v${s.rubric.version}, scale 1–${s.rubric.scaleMax}.</p>
${sessionChart(s)}
${criteria}
<h3>Scorecards</h3>
<ul>
${scorecards}
</ul>
</section>`;
}

/** Every interviewer's level per criterion, on the scale: where the panel agreed and where it did not. */
function sessionChart(s: DebriefSession): string {
  const people = [...new Map(s.criteria.flatMap((c) => c.scores.map((sc) => [sc.interviewer.id, sc.interviewer.name] as const)))];
  if (!people.length) return '';
  const width = 640;
  const label = 210;
  const row = 24;
  const height = s.criteria.length * row + 30;
  const step = (width - label - 30) / Math.max(1, s.rubric.scaleMax - 1);
  const x = (v: number) => label + (v - 1) * step;
  const shapes = ['circle', 'square', 'diamond', 'triangle'];
  const mark = (shape: string, cx: number, cy: number) =>
    shape === 'circle'
      ? `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="5"/>`
      : shape === 'square'
        ? `<rect x="${(cx - 4.5).toFixed(1)}" y="${(cy - 4.5).toFixed(1)}" width="9" height="9"/>`
        : shape === 'diamond'
          ? `<polygon points="${cx.toFixed(1)},${(cy - 6).toFixed(1)} ${(cx + 6).toFixed(1)},${cy.toFixed(1)} ${cx.toFixed(1)},${(cy + 6).toFixed(1)} ${(cx - 6).toFixed(1)},${cy.toFixed(1)}"/>`
          : `<polygon points="${cx.toFixed(1)},${(cy - 6).toFixed(1)} ${(cx + 6).toFixed(1)},${(cy + 5).toFixed(1)} ${(cx - 6).toFixed(1)},${(cy + 5).toFixed(1)}"/>`;
  const grid = Array.from({ length: s.rubric.scaleMax }, (_, k) => `<line x1="${x(k + 1).toFixed(1)}" x2="${x(k + 1).toFixed(1)}" y1="4" y2="${height - 22}" class="grid"/><text x="${x(k + 1).toFixed(1)}" y="${height - 6}" text-anchor="middle">${k + 1}</text>`).join('');
  const rows = s.criteria
    .map((c, k) => {
      const y = 16 + k * row;
      const marks = c.scores
        .map((sc) => {
          if (typeof sc.value !== 'number') return '';
          const who = people.findIndex(([id]) => id === sc.interviewer.id);
          const same = c.scores.filter((o) => o.value === sc.value);
          const offset = (same.indexOf(sc) - (same.length - 1) / 2) * 13;
          return mark(shapes[who % shapes.length]!, x(sc.value) + offset, y);
        })
        .join('');
      return `<text x="${label - 10}" y="${y + 4}" text-anchor="end">${esc(c.title.slice(0, 30))}</text>${marks}`;
    })
    .join('');
  const legend = people.map(([, name], k) => `${['●', '■', '◆', '▲'][k % 4]} ${esc(name)}`).join(' · ');
  return `<svg class="chart" role="img" aria-label="Each interviewer's level per criterion" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${grid}${rows}</svg>
<p class="small legend">${legend}</p>`;
}

function disagreementsSection({ packet: p }: SignedPacket): string {
  if (!p.disagreements.length) return '<section><h2>Disagreements</h2><p>The panel agreed on every criterion.</p></section>';
  const items = p.disagreements
    .map((d) => {
      const who = (list: { name: string; value: number }[]) => list.map((x) => `<bdi>${esc(x.name)}</bdi> (${x.value})`).join(', ');
      return `<li><strong>${esc(d.session)} · ${esc(d.criterion)}</strong>: spread ${d.spread}; lowest ${who(d.lowest)}, highest ${who(d.highest)}</li>`;
    })
    .join('\n');
  return `<section><h2>Disagreements</h2><p class="small">The widest spread first.</p><ul>\n${items}\n</ul></section>`;
}

function privateNotesSection({ packet: p }: SignedPacket): string {
  if (!p.privateNotes.length) return '';
  const items = p.privateNotes.map((n) => `<li><strong>${esc(n.session)}</strong>: ${said(n.text)}</li>`).join('\n');
  return `<section class="private"><h2>${esc(PRIVATE_MARK)}</h2><ul>\n${items}\n</ul></section>`;
}

function rubricsSection({ packet: p }: SignedPacket): string {
  const items = p.rubrics.map((r) => `<li><bdi>${esc(r.name)}</bdi> v${r.version}: ${r.criteria.length} criteria, scale 1–${r.scaleMax}; content SHA-256 <code>${r.contentHash}</code></li>`).join('\n');
  return `<section><h2>Rubric versions used</h2><ul>\n${items}\n</ul></section>`;
}

function integritySection({ packet: p, integrity }: SignedPacket): string {
  const scorecards = p.signedScorecards
    .map((s) => `<li><bdi>${esc(s.interviewerName)}</bdi>: ${s.revisions.length} signed ${s.revisions.length === 1 ? 'revision' : 'revisions'}, latest <code>${s.revisions.at(-1)?.hash.slice(0, 16) ?? '—'}</code></li>`)
    .join('\n');
  return `<section class="integrity"><h2>Integrity</h2>
<p>Signed by <bdi>${esc(integrity.signer.name)}</bdi>, key fingerprint <code>${esc(integrity.signer.fingerprint)}</code>.</p>
<p>SHA-256 of the packet’s canonical JSON: <code>${integrity.sha256}</code></p>
<p class="small">Ed25519 signature: <code class="wrap">${esc(integrity.signature)}</code></p>
<p class="small">Each scorecard keeps its author’s signed revisions:</p>
<ul class="small">
${scorecards}
</ul>
<p class="small">Check it with <code>panelist verify-packet FILE</code>: it says whether the packet, its visible text or any scorecard changed, and who signed it.</p>
</section>`;
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1b1f24; }
body { max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #c9ced6; padding-bottom: 0.2rem; margin-top: 1.8rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
h4 { font-size: 0.95rem; margin: 1rem 0 0.2rem; }
.meta, .small, .kind, .legend { color: #4a5260; font-size: 0.85rem; }
.kind { font-weight: normal; }
.spread { font-weight: normal; font-size: 0.8rem; color: #8a3b12; }
.note { background: #f3f5f8; border-left: 4px solid #5b6b82; padding: 0.5rem 0.75rem; }
.decision { font-size: 1.1rem; }
.decision-hire strong { color: #0f6b34; }
.decision-no_hire strong { color: #a1261b; }
.decision-hold strong { color: #7a5a00; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0.4rem 0 0.8rem; font-size: 0.88rem; }
th, td { text-align: left; vertical-align: top; border: 1px solid #d5dae1; padding: 0.3rem 0.45rem; overflow-wrap: anywhere; }
th { background: #f3f5f8; overflow-wrap: normal; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.changed td { background: #fff7e0; }
.said { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
.chart { display: block; max-width: 100%; height: auto; font-size: 11px; fill: #1b1f24; }
.chart .interval { stroke: #1b1f24; stroke-width: 2; }
.chart .axis { stroke: #8a93a0; stroke-dasharray: 3 3; }
.chart .grid { stroke: #e1e5ea; }
.private { border: 2px dashed #a1261b; padding: 0 0.75rem 0.5rem; }
.private h2 { color: #a1261b; border: none; }
@page { size: auto; margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  /* Rows keep together, except a scorecard's (its evidence may run over pages). */
  tr:not(.scores tr), .chart, .note { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  .session { break-before: page; }
}
`;
