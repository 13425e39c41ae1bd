import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

/**
 * The same draft open in two windows (the main window and the call-mode window, or two tabs):
 * a write to a field refuses to overwrite another window's change silently, writes to different
 * fields never conflict, and every window follows the others (and other processes) without a reload.
 */

let data: ReturnType<typeof tempDataDir>;
let serves: ServeProcess[] = [];

test.afterEach(async () => {
  await Promise.all(serves.map((s) => s.stop()));
  serves = [];
  data?.remove();
});

const criterion = (page: Page, n: number) => page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').nth(n);
const evidence = (page: Page, n: number) => criterion(page, n).getByRole('textbox', { name: /^Evidence for / });
const status = (page: Page) => page.getByRole('status').filter({ hasText: /saved|saving|Not saved|another window/ });
const saved = (page: Page) => expect(status(page)).toHaveText(/^\s*● saved\s*$/);

/** Opens the first scorecard waiting for me in a new tab of the context; returns the page and its address. */
async function openTab(context: BrowserContext, serve: ServeProcess, scorecardHash?: string, hearsNothing = false): Promise<{ page: Page; hash: string }> {
  const page = await context.newPage();
  // A window that hears no events is one that has not caught up yet (asleep, or its stream dropped).
  if (hearsNothing) await page.route('**/events', (route) => route.abort());
  await page.goto(serve.url);
  if (scorecardHash) await page.evaluate(`window.location.hash = ${JSON.stringify(scorecardHash)}`);
  else await page.getByRole('link', { name: /^Score / }).first().click();
  await expect(criterion(page, 0)).toBeFocused();
  return { page, hash: new URL(page.url()).hash };
}

/** A criterion whose evidence box starts empty (the demo's draft is half filled in). */
async function emptyEvidence(page: Page): Promise<number> {
  const count = await page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').count();
  for (let n = count - 1; n >= 0; n--) if ((await evidence(page, n).inputValue()) === '') return n;
  throw new Error('no criterion with empty evidence');
}

/** Types into a criterion's evidence box with the keyboard, as the scorecard screen expects. */
async function typeEvidence(page: Page, n: number, text: string): Promise<void> {
  await evidence(page, n).focus();
  await page.keyboard.type(text);
}

async function twoTabs(context: BrowserContext, deaf: 'a' | 'b' | null = null) {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '40', '--interviewers', '8', '--seed', '4', '--data-dir', data.dir]).code).toBe(0);
  const serve = await startServe(data.dir);
  serves.push(serve);
  const a = await openTab(context, serve, undefined, deaf === 'a');
  const b = await openTab(context, serve, a.hash, deaf === 'b');
  return { serve, a: a.page, b: b.page, hash: a.hash };
}

for (const order of ['A saves first', 'B saves first'] as const) {
  test(`two tabs typing in the same note: the second save is refused next to the field, and nothing shown as saved is lost (${order})`, async ({ context }) => {
    // The tab that saves second has not heard of the first one's save (not reloaded, as in the report).
    const tabs = await twoTabs(context, order === 'A saves first' ? 'b' : 'a');
    const [first, second] = order === 'A saves first' ? [tabs.a, tabs.b] : [tabs.b, tabs.a];
    const n = await emptyEvidence(first);
    await typeEvidence(first, n, 'Alpha');
    await saved(first);
    await typeEvidence(second, n, 'Bravo');

    const notice = criterion(second, n).getByRole('group', { name: /changed in another window/ });
    await expect(notice.getByRole('alert')).toContainText('was changed in another window');
    await expect(status(second)).toContainText('Changed in another window');
    await expect(evidence(second, n)).toHaveValue('Bravo');
    await expect(evidence(first, n)).toHaveValue('Alpha');

    // Load the latest: the other window's text comes in, and what this window had stays to copy.
    await notice.getByRole('button', { name: 'Load the latest' }).click();
    await expect(evidence(second, n)).toHaveValue('Alpha');
    await expect(notice.getByRole('textbox', { name: /Your version/ })).toHaveValue('Bravo');
    await saved(second);
    await second.reload();
    await expect(evidence(second, n)).toHaveValue('Alpha');
  });
}

test('keep mine overwrites the other window knowingly, and the other window follows', async ({ context }) => {
  const { a, b } = await twoTabs(context, 'b');
  const n = await emptyEvidence(a);
  await typeEvidence(a, n, 'Alpha');
  await saved(a);
  await a.keyboard.press('Escape');
  await typeEvidence(b, n, 'Bravo');
  const notice = criterion(b, n).getByRole('group', { name: /changed in another window/ });
  await notice.getByRole('button', { name: 'Keep mine' }).click();
  await saved(b);
  await expect(evidence(a, n)).toHaveValue('Bravo');
});

test('a score in one tab and evidence in the other are both kept, and each tab shows both without a reload', async ({ context }) => {
  const { a, b } = await twoTabs(context);
  const n = await emptyEvidence(a);
  await criterion(b, n).focus();
  await b.keyboard.press('4');
  await saved(b);
  await typeEvidence(a, n, 'asked about scale first');
  await saved(a);
  await expect(criterion(a, n)).toContainText('4 · Exceptional');
  await expect(evidence(b, n)).toHaveValue('asked about scale first');
  await expect(a.getByRole('alert')).toHaveCount(0);
  await expect(b.getByRole('alert')).toHaveCount(0);
  await a.reload();
  await expect(criterion(a, n)).toContainText('4 · Exceptional');
  await expect(evidence(a, n)).toHaveValue('asked about scale first');
});

test('a change made by another process on the same database appears in an open window without a reload', async ({ context }) => {
  const { a } = await twoTabs(context);
  const n = await emptyEvidence(a);
  const other = await startServe(data.dir);
  serves.push(other);
  const rpc = async (channel: string, input: unknown) => {
    const response = await fetch(`${other.origin}/rpc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-panelist-token': other.token },
      body: JSON.stringify(input),
    });
    return (await response.json()) as { ok: boolean; value: { scorecard: { id: string; fieldRevisions: Record<string, number> }; rubric: { criteria: { id: string }[] } } };
  };
  const interviewId = /interviews\/([^/]+)\/scorecard/.exec(a.url())?.[1] ?? '';
  const opened = await rpc('scorecards:open', { interviewId });
  const criterionId = opened.value.rubric.criteria[n]!.id;
  const written = await rpc('scorecards:set-evidence', {
    scorecardId: opened.value.scorecard.id,
    criterionId,
    evidence: 'written by another process',
    seenRevision: opened.value.scorecard.fieldRevisions[`evidence:${criterionId}`] ?? 0,
  });
  expect(written.ok).toBe(true);
  await expect(evidence(a, n)).toHaveValue('written by another process');
});
