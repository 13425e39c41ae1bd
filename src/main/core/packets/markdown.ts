import canonicalize from 'canonicalize';
import type { SignedPacket } from '../../../shared/packet';
import { adjustmentLine, changedMinds, decision, fixed, level, PRIVATE_MARK, recommendation, sessionKind, signedFixed, tallyLine, utc } from './wording';

/**
 * The packet as Markdown, for pasting into an applicant tracking system: headings and lists (no
 * wide tables), every text from people escaped so that it reads as the text it is. The signed
 * packet rides along in an HTML comment at the end (hidden when rendered), so that `verify-packet`
 * can re-render the file and compare. Deterministic: the same signed packet gives the same text.
 */
export function packetMarkdown(signed: SignedPacket): string {
  const p = signed.packet;
  const lines: string[] = [];
  const out = (...more: string[]) => lines.push(...more);
  out(`# Decision packet: ${inline(p.candidate.name)}`, '');
  out(`${inline(p.candidate.role.title)}${p.candidate.email ? ` · ${inline(p.candidate.email)}` : ''} · generated ${utc(p.generatedAt)} by Panelist ${p.panelistVersion}`, '');

  out('## Decision', '');
  const current = p.decision.current;
  if (current) {
    out(`**${decision(current.decision)}**, decided by ${inline(current.decidedBy.name)}, ${utc(current.decidedAt)} (revision ${current.revision}).`, '');
    out('Rationale:', '', quote(current.rationale), '');
    if (p.decision.history.length > 1) {
      out('History:', '');
      for (const h of p.decision.history) out(`- Revision ${h.revision}: ${decision(h.decision)} by ${inline(h.decidedBy.name)}, ${utc(h.decidedAt)}${h.changeReason ? `; why it changed: ${inline(h.changeReason)}` : ''}`);
      out('');
    }
  } else {
    out('No decision is recorded yet.', '');
  }

  out('## Votes', '');
  out(`Round 1 (first submitted): ${tallyLine(p.tally.round1)}. Now: ${tallyLine(p.tally.current)}. ${changedMinds(p.votes.filter((v) => v.changedMind).length)}`, '');
  for (const v of p.votes) {
    const second = v.round2 ? `${recommendation(v.round2.recommendation)} (${v.round2.signed ? 'signed by them' : `recorded by ${inline(v.round2.recordedBy.name)}`})${v.round2.reason ? `; why: ${inline(v.round2.reason)}` : ''}` : 'no re-vote';
    out(`- ${inline(v.interviewer.name)}: round 1 ${recommendation(v.round1)}; round 2 ${second}`);
  }
  out('');

  out('## Scores and leniency', '', adjustmentLine(p), '');
  if (p.leniencyNote) out(`*${p.leniencyNote}*`, '');
  for (const i of p.interviewers) {
    const reading = i.tooFew ? 'too few scorecards to tell' : (i.flag ?? 'within the usual range');
    const interval = i.ci95 ? `[${signedFixed(i.ci95[0])}, ${signedFixed(i.ci95[1])}]` : '(cannot be bounded)';
    out(`- ${inline(i.interviewer.name)}: leniency ${signedFixed(i.effect)} ${interval} over ${i.candidates} candidates, ${reading}`);
  }
  out('');

  for (const s of p.sessions) {
    const kind = sessionKind(s.sessionKind);
    out(`## ${inline(s.title)} (${kind === s.title ? '' : `${kind}, `}${utc(s.scheduledAt)})`, '');
    out(`Rubric: ${inline(s.rubric.name)} v${s.rubric.version}, scale 1–${s.rubric.scaleMax}.`, '');
    for (const c of s.criteria) {
      out(`### ${inline(c.title)}${c.spread ? ` (spread ${c.spread})` : ''}`, '');
      for (const sc of c.scores) {
        out(`- ${inline(sc.interviewer.name)}: ${inline(level(sc.value, s.rubric.scaleLabels))}${sc.adjusted === null ? '' : `, adjusted ${fixed(sc.adjusted)}`}`);
        if (sc.anchor) out(`  - Anchor: ${inline(sc.anchor)}`);
        if (sc.evidence) out(`  - Evidence:`, '', indent(quote(sc.evidence), '    '), '');
      }
      out('');
    }
    out('Scorecards:', '');
    for (const sc of s.scorecards) {
      out(`- ${inline(sc.interviewer.name)} recommends **${recommendation(sc.recommendation)}**${sc.submittedAt ? `, submitted ${utc(sc.submittedAt)}` : ''} (revision ${sc.revision})`);
      if (sc.takeaways) out('', indent(quote(sc.takeaways), '  '), '');
    }
    out('');
  }

  out('## Disagreements', '');
  if (!p.disagreements.length) out('The panel agreed on every criterion.');
  for (const d of p.disagreements) {
    const who = (list: { name: string; value: number }[]) => list.map((x) => `${inline(x.name)} (${x.value})`).join(', ');
    out(`- ${inline(d.session)} · ${inline(d.criterion)}: spread ${d.spread}; lowest ${who(d.lowest)}, highest ${who(d.highest)}`);
  }
  out('');

  if (p.privateNotes.length) {
    out(`## ${PRIVATE_MARK}`, '');
    for (const n of p.privateNotes) out(`- ${inline(n.session)}:`, '', indent(quote(n.text), '  '), '');
  }

  out('## Rubric versions used', '');
  for (const r of p.rubrics) out(`- ${inline(r.name)} v${r.version}: ${r.criteria.length} criteria, scale 1–${r.scaleMax}; content SHA-256 \`${r.contentHash}\``);
  out('');

  const { integrity } = signed;
  out('## Integrity', '');
  out(`Signed by ${inline(integrity.signer.name)}, key fingerprint \`${integrity.signer.fingerprint}\`.`, '');
  out(`SHA-256 of the packet's canonical JSON: \`${integrity.sha256}\``, '');
  out(`Ed25519 signature: \`${integrity.signature}\``, '');
  for (const s of p.signedScorecards) out(`- ${inline(s.interviewerName)}: ${s.revisions.length} signed ${s.revisions.length === 1 ? 'revision' : 'revisions'}, latest \`${s.revisions.at(-1)?.hash.slice(0, 16) ?? '—'}\``);
  out('', 'Check it with `panelist verify-packet FILE`.', '');
  out(`<!-- panelist-packet ${Buffer.from(canonicalize(signed)!, 'utf8').toString('base64')} -->`, '');
  return lines.join('\n');
}

/**
 * Text from people as Markdown that shows exactly that text: the characters Markdown or HTML would
 * act on are backslash-escaped (CommonMark allows it before any ASCII punctuation), and what would
 * start a block at the beginning of a line is escaped too.
 */
export function inline(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~&]/g, '\\$&')
    .replace(/^([ \t]*)(#|[-+=]|\d+[.)])/gm, (_all, space: string, mark: string) => `${space}${mark.replace(/[-+=.)#]$/, '\\$&')}`)
    .replace(/\r\n?|\n/g, ' ');
}

/** A multi-line text from people as a block quote, each line escaped. */
function quote(text: string): string {
  return text
    .split(/\r\n?|\n/)
    .map((line) => (line.trim() ? `> ${inline(line)}` : '>'))
    .join('\n');
}

function indent(block: string, by: string): string {
  return block
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}
