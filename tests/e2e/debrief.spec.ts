import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { RECOMMENDATION_LABELS, type Recommendation } from '../../src/shared/constants';
import { rpc, runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';
import { demoDebriefs } from '../support/debrief';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

async function startDemo(): Promise<void> {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '40', '--interviewers', '8', '--seed', '4', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
}

/** Opens a screen by its address, the way a bookmark or a link would. */
async function open(page: Page, hash: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

async function saved(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const download = page.waitForEvent('download');
  await click();
  const file = await download;
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('a hiring manager debriefs a candidate: disagreements first, scores side by side, a re-vote, a decision changed with its reason, packets, and the calibration outcomes', async ({
  page,
}) => {
  await startDemo();
  const { readable: d } = await demoDebriefs(serve);
  const me = await rpc<{ id: string }>(serve, 'me:get', {});
  // A name that would be markup if anything rendered it as HTML.
  const detail = await rpc<{ email: string; source: string; note: string; timeZone: string; revision: number }>(serve, 'candidates:get', { candidateId: d.candidate.id });
  const name = `Zoë "<script>alert(1)</script>" O'Neil & Co`;
  await rpc(serve, 'candidates:update', { candidateId: d.candidate.id, revision: detail.revision, name, email: detail.email, source: detail.source, note: detail.note, timeZone: detail.timeZone });

  await page.goto(serve.url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Before any decision, the calibration says what the outcomes section will show.
  await nav.getByRole('link', { name: 'Calibration' }).click();
  const outcomes = page.getByRole('region', { name: 'Did recommendations match the decisions?' });
  await expect(outcomes).toContainText('No hire or no-hire decisions are recorded yet');
  await expect(outcomes.getByRole('table')).toHaveCount(0);

  // From the candidate's page to their debrief.
  await nav.getByRole('link', { name: 'Candidates' }).click();
  await page.getByLabel('Search candidates').fill('Zoë');
  await page.getByRole('table', { name: 'Candidates' }).getByRole('link', { name }).click();
  await page.getByRole('link', { name: 'Debrief', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Debrief · ${name}`);
  await expect(page).toHaveTitle(`Debrief · ${name} — Panelist`);

  // Disagreements first, the widest spread first; each links to its criterion among everyone's scores.
  const disagreements = page.getByRole('table', { name: 'Disagreements, widest spread first' });
  await expect(disagreements.getByRole('row')).toHaveCount(1 + d.disagreements.length);
  const widest = d.disagreements[0]!;
  const firstRow = disagreements.getByRole('row').nth(1);
  await expect(firstRow.getByRole('rowheader')).toHaveText(`${widest.session} · ${widest.criterion}`);
  await expect(firstRow.getByRole('cell').first()).toContainText(String(widest.spread));
  expect(d.disagreements.map((g) => g.spread)).toEqual([...d.disagreements.map((g) => g.spread)].sort((a, b) => b - a));
  await firstRow.getByRole('link').click();
  const session = d.sessions.find((s) => s.interviewId === widest.interviewId)!;
  const scores = page.getByRole('table', { name: `${session.title}: scores side by side` });
  await expect(scores.getByRole('rowheader', { name: widest.criterion, exact: true })).toBeFocused();

  // Everyone's score side by side: the level and its label, adjusted, the anchor, the evidence with its time stamp as text.
  const criterion = session.criteria.find((c) => c.criterionId === widest.criterionId)!;
  const row = scores.getByRole('row').filter({ has: page.getByRole('rowheader', { name: widest.criterion, exact: true }) });
  for (const s of criterion.scores) {
    if (typeof s.value !== 'number') continue;
    const cell = row.getByRole('cell').nth(1 + session.scorecards.findIndex((sc) => sc.scorecardId === s.scorecardId));
    await expect(cell).toContainText(`${s.value} ${session.rubric.scaleLabels[s.value - 1]}`);
    if (s.anchor) await expect(cell).toContainText(s.anchor);
    if (s.adjusted !== null) await expect(cell).toContainText(`adj ${s.adjusted.toFixed(2)}`);
    expect(s.evidence).toMatch(/\[\d\d:\d\d\]/);
    await expect(cell).toContainText(s.evidence);
  }
  // Each column names its panelist with their leniency.
  await expect(scores.getByRole('columnheader').nth(2)).toContainText(/leniency/);

  // j and k walk the criteria from wherever the focus is.
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('j');
  await expect(page.getByRole('table', { name: `${d.sessions[0]!.title}: scores side by side` }).getByRole('rowheader').first()).toBeFocused();
  await page.keyboard.press('j');
  await expect(page.getByRole('table', { name: `${d.sessions[0]!.title}: scores side by side` }).getByRole('rowheader').nth(1)).toBeFocused();

  // Each panelist's leniency, with its interval, or the reason there is none.
  if (d.leniencyNote) await expect(page.getByText(d.leniencyNote)).toBeVisible();
  else await expect(page.getByRole('table', { name: 'Leniency of this panel' }).getByRole('row')).toHaveCount(1 + d.interviewers.length);

  // Round 2: what another panelist said in the meeting, recorded by me; a change of vote needs a reason.
  const other = d.votes.find((v) => v.interviewer.id !== me.id && v.round1 !== null)!;
  const changeTo: Recommendation = other.round1 === 'no' ? 'yes' : 'no';
  const votes = page.getByRole('table', { name: 'Votes by panelist' });
  const voteRow = votes.getByRole('row').filter({ has: page.getByRole('rowheader', { name: other.interviewer.name, exact: true }) });
  await voteRow.getByRole('button', { name: 'Record what they said in the meeting' }).click();
  const voteForm = page.getByRole('form', { name: `Round 2 vote for ${other.interviewer.name}` });
  await expect(voteForm).toContainText('recorded by you');
  await expect(voteForm).toContainText('not signed by them');
  await voteForm.getByRole('radio', { name: RECOMMENDATION_LABELS[changeTo], exact: true }).check();
  await voteForm.getByRole('button', { name: 'Record their vote' }).click();
  const reason = voteForm.getByLabel(/^Why the vote changes from round 1/);
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expect(voteForm).toContainText('say why');
  await reason.fill('Heard the Architecture evidence again: the design skipped failure modes.');
  await voteForm.getByRole('button', { name: 'Record their vote' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'round-2 vote' })).toHaveText(
    `Recorded ${other.interviewer.name}'s round-2 vote: ${RECOMMENDATION_LABELS[changeTo]}, entered by you.`,
  );
  await expect(voteForm).toBeHidden();
  await expect(voteRow).toContainText('said in the meeting, recorded by you');
  await expect(voteRow).toContainText('the design skipped failure modes');
  await expect(page.getByText('Changed their mind:')).toContainText(
    `Changed their mind: ${other.interviewer.name} (${RECOMMENDATION_LABELS[other.round1!]} → ${RECOMMENDATION_LABELS[changeTo]})`,
  );
  const tally = page.getByRole('table', { name: 'Vote tally, round 1 and now' });
  const nowRow = tally.getByRole('row', { name: /^Now/ });
  const column = (['strong_no', 'no', 'yes', 'strong_yes'] as const).indexOf(changeTo);
  await expect(nowRow.getByRole('cell').nth(column)).toHaveText(String(d.tally.current[changeTo] + 1));

  // The decision: a choice and a rationale, both required.
  const decision = page.getByRole('region', { name: 'Decision', exact: true });
  const first = decision.getByRole('form', { name: 'Record the decision' });
  await first.getByRole('button', { name: 'Record the decision' }).click();
  await expect(first).toContainText('Choose hire, no hire or hold.');
  await expect(first.getByLabel(/^Rationale/)).toHaveAttribute('aria-invalid', 'true');
  await first.getByRole('radio', { name: 'Hire', exact: true }).check();
  await first.getByLabel(/^Rationale/).fill('Strong on operations across three sessions; the panel agrees on ownership.');
  await first.getByRole('button', { name: 'Record the decision' }).click();
  await expect(decision.getByRole('status')).toHaveText('Decision recorded: Hire (revision 1).');
  await expect(decision).toContainText('Decision: Hire');
  await expect(page.getByText(/decided: Hire/)).toBeVisible();

  // Changing it needs a reason; every revision stays in the history.
  await decision.getByRole('button', { name: 'Change the decision' }).click();
  const change = decision.getByRole('form', { name: 'Change the decision' });
  await expect(change.getByLabel(/^Why the decision changes/)).toBeFocused();
  await change.getByRole('radio', { name: 'No hire', exact: true }).check();
  await change.getByRole('button', { name: 'Record the change' }).click();
  await expect(change.getByLabel(/^Why the decision changes/)).toHaveAttribute('aria-invalid', 'true');
  await change.getByLabel(/^Why the decision changes/).fill('The reference check contradicted the ownership story.');
  await change.getByRole('button', { name: 'Record the change' }).click();
  await expect(decision.getByRole('status')).toHaveText('Decision changed: No hire (revision 2).');
  await expect(change).toBeHidden();
  const history = decision.getByRole('region', { name: 'History (2)' });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByRole('listitem').first()).toContainText('Revision 2: No hire');
  await expect(history.getByRole('listitem').first()).toContainText('Why it changed: The reference check contradicted the ownership story.');
  await expect(history.getByRole('listitem').nth(1)).toContainText('Revision 1: Hire');
  await expect(history.getByRole('listitem').nth(1)).toContainText('Strong on operations across three sessions');

  // Packets: HTML (the name escaped, no script) and JSON (the signed packet), each said with its hash.
  const packet = page.getByRole('region', { name: 'Decision packet' });
  await expect(packet.getByRole('radio', { name: 'PDF' })).toBeChecked();
  await expect(packet.getByRole('checkbox', { name: 'Include my private notes (marked private)' })).not.toBeChecked();
  await packet.getByRole('radio', { name: 'HTML' }).check();
  await expect(packet.getByLabel('Paper size')).toBeHidden();
  const html = await saved(page, () => packet.getByRole('button', { name: 'Export the packet' }).click());
  expect(html.name).toMatch(/^decision-packet-.+\.html$/);
  expect(html.text).not.toMatch(/<script/i);
  expect(html.text).not.toContain(name);
  // Read as a browser reads it: the name is text in the heading, not markup.
  const reader = await page.context().newPage();
  await reader.setContent(html.text);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(`Decision packet: ${name}`);
  expect(await reader.locator('script').count()).toBe(0);
  await reader.close();
  await expect(packet.getByRole('status')).toContainText(`Saved ${html.name} (HTML) · packet SHA-256`);

  await packet.getByRole('radio', { name: 'JSON' }).check();
  const json = await saved(page, () => packet.getByRole('button', { name: 'Export the packet' }).click());
  expect(json.name).toMatch(/^decision-packet-.+\.json$/);
  const signed = JSON.parse(json.text) as { packet: { candidate: { name: string }; decision: { current: { decision: string } }; privateNotes: unknown[] }; integrity: { sha256: string } };
  expect(signed.packet.candidate.name).toBe(name);
  expect(signed.packet.decision.current.decision).toBe('no_hire');
  expect(signed.packet.privateNotes).toEqual([]);
  await expect(packet.getByRole('status')).toContainText(`Saved ${json.name} (JSON) · packet SHA-256 ${signed.integrity.sha256.slice(0, 12)}`);
  const past = packet.getByRole('table', { name: 'Past exports' });
  await expect(past.getByRole('row')).toHaveCount(3);
  await expect(past.getByRole('row').nth(1)).toContainText('JSON');
  await expect(past.getByRole('row').nth(1)).toContainText(signed.integrity.sha256.slice(0, 12));
  await expect(past.getByRole('row').nth(2)).toContainText('HTML');

  // The calibration now counts this candidate's recommendations against the decision.
  await nav.getByRole('link', { name: 'Calibration' }).click();
  await expect(outcomes).toContainText(/recommendations matched the decision, over 1 decided candidate/);
  const byInterviewer = outcomes.getByRole('table', { name: 'Recommendations against decisions, by interviewer' });
  await expect(byInterviewer.getByRole('row')).toHaveCount(1 + d.votes.length);
  await expect(byInterviewer.getByRole('row').filter({ hasText: other.interviewer.name })).toContainText(/\d+ \/ \d+.*\d+%/);
  await expect(outcomes.getByRole('table', { name: 'Recommendations against decisions, by session' }).getByRole('row')).toHaveCount(1 + d.sessions.length);
});

test('the candidate page exports a packet, and a debrief stays hidden while I owe a scorecard on the loop', async ({ page }) => {
  await startDemo();
  const { readable, hidden } = await demoDebriefs(serve);
  await page.goto(serve.url);

  // The small entry on the candidate's page: a format and a button.
  await open(page, `#/candidates/${readable.candidate.id}`);
  const entry = page.getByRole('region', { name: 'Decision packet' });
  await entry.getByLabel('Packet format').selectOption({ label: 'Markdown' });
  const md = await saved(page, () => entry.getByRole('button', { name: 'Export the decision packet' }).click());
  expect(md.name).toMatch(/^decision-packet-.+\.md$/);
  expect(md.text).toContain(readable.candidate.name);
  await expect(entry.getByRole('status')).toContainText(`Saved ${md.name} (Markdown) · packet SHA-256`);

  // Hidden: the reason, calmly, and the way to my scorecard; no score anywhere.
  await open(page, `#/candidates/${hidden.id}/debrief`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The debrief is hidden for now');
  await expect(page).toHaveTitle('Debrief hidden — Panelist');
  await expect(page.getByText(`The panel's scorecards for ${hidden.name} stay hidden until you submit your own`)).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Where the panel disagrees' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Go to your scorecard' }).click();
  await expect(page.getByRole('list', { name: 'Criteria' })).toBeVisible();
});

test('two people deciding at once: the second is told, sees the first decision, and keeps their text for a change', async ({ page }) => {
  await startDemo();
  const { readable } = await demoDebriefs(serve);
  // No push events reach this window, so it still shows "no decision" when someone else decides.
  await page.route('**/events', (route) => route.abort());
  await page.goto(serve.url);
  await open(page, `#/candidates/${readable.candidate.id}/debrief`);
  const decision = page.getByRole('region', { name: 'Decision', exact: true });
  await decision.getByRole('radio', { name: 'Hire', exact: true }).check();
  await decision.getByLabel(/^Rationale/).fill('Clear ownership in every session.');

  const other = runCli(['decide', readable.candidate.id, '--decision', 'no-hire', '--rationale', 'Decided in the committee.', '--data-dir', data.dir]);
  expect(other.code, other.stderr).toBe(0);

  await decision.getByRole('button', { name: 'Record the decision' }).click();
  await expect(decision.getByRole('alert')).toContainText('The decision changed while you were looking');
  await expect(decision).toContainText('Decision: No hire');
  await expect(decision).toContainText('Decided in the committee.');
  const change = decision.getByRole('form', { name: 'Change the decision' });
  await expect(change.getByLabel(/^Rationale/)).toHaveValue('Clear ownership in every session.');
  await expect(change.getByRole('radio', { name: 'Hire', exact: true })).toBeChecked();
  await expect(change.getByLabel(/^Why the decision changes/)).toBeFocused();
  await change.getByLabel(/^Why the decision changes/).fill('The committee had not read the Architecture evidence.');
  await change.getByRole('button', { name: 'Record the change' }).click();
  await expect(decision.getByRole('status')).toHaveText('Decision changed: Hire (revision 2).');
  await expect(decision.getByRole('region', { name: 'History (2)' }).getByRole('listitem')).toHaveCount(2);
});
