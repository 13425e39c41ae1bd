import canonicalize from 'canonicalize';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import MarkdownIt from 'markdown-it';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packetBytes } from '../../src/main/core/packets/build';
import { packetHtml } from '../../src/main/core/packets/html';
import { packetMarkdown } from '../../src/main/core/packets/markdown';
import { findChromium } from '../../src/main/core/packets/pdf';
import { attachPacket, embeddedPacket } from '../../src/main/core/packets/pdf-attachment';
import { fingerprint, publicKeyText } from '../../src/main/core/provenance/keys';
import { sha256 } from '../../src/main/core/provenance/revisions';
import { cancelJob } from '../../src/main/core/services/jobs';
import { checkPacket, exportPacket, exportRolePackets } from '../../src/main/core/services/packets';
import type { SignedPacket } from '../../src/shared/packet';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { runCli, tempDataDir } from '../support/cli';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';

/**
 * Decision packets from a candidate entered by hand, with hostile and unusual content everywhere a
 * person types: every format says it as text with the layout intact, carries a signature, and is
 * checked by verify-packet (an edit to the visible text is caught, not only one to the data).
 */

const NAME = '<img src=x onerror=alert(1)> | **Jane** # Doe מרים 👩‍💻';
const EVIDENCE = `[03:12] Said: <script>alert("x")</script>\n| a | b |\n|---|---|\n# not a heading\n1. not a list\n‮RTL override‮ and عربي\n${'Long evidence without breaks '.repeat(600).slice(0, 16_000)} https://example.org/${'a'.repeat(2_500)}`;
const TAKEAWAYS = '**Bold?** _no_ [link](javascript:alert(1)) & &amp; <b>tags</b>';
const RATIONALE = 'Hire: strong loop. <iframe src="https://evil.example"></iframe> `code` ~~strike~~';
const PRIVATE = 'My private worry: <u>timezone</u>';

let core: TestCore;
let candidateId: string;

beforeAll(async () => {
  core = await openTestCore();
  const me = await core.value('me:get', {});
  await core.value('me:update', { name: 'Hana <Manager>', email: 'hana@example.com', revision: me.revision });
  const [role] = await core.value('roles:list', {});
  const detail = await core.value('roles:get', { roleId: role!.id });
  const jane = await core.value('candidates:add', { roleId: role!.id, name: NAME, email: 'jane@example.org', note: 'ignored in packets' });
  candidateId = jane.id;
  const { interview } = await core.value('interviews:schedule', { candidateId, stageId: detail.stages[0]!.id, scheduledAt: '2026-11-27T14:00:00Z', panel: [me.id] });
  const view = await core.value('scorecards:open', { interviewId: interview.interviewId });
  const editor = await openEditor(core, view.scorecard.id);
  for (const c of view.rubric.criteria) must(await editor.setScore(c.id, 3));
  must(await editor.setEvidence(view.rubric.criteria[0]!.id, EVIDENCE));
  must(await editor.setDetail('takeaways', TAKEAWAYS));
  must(await editor.setDetail('privateNote', PRIVATE));
  must(await editor.setDetail('recommendation', 'yes'));
  must(await editor.submit());
  must(await core.call('decisions:record', { candidateId, decision: 'hire', rationale: RATIONALE, seenRevision: 0 }));
}, 60_000);

afterAll(() => core.dispose());

const exported = async (format: 'json' | 'html' | 'md', includePrivateNotes = false) => (await exportPacket(core.ctx, { candidateId, format, includePrivateNotes })).file;

describe('decision packets', () => {
  it('JSON: schema-versioned, signed, with every scorecard\'s signed revisions, the exporter\'s private note only when asked and marked', async () => {
    const signed = JSON.parse((await exported('json')).toString('utf8')) as SignedPacket;
    expect(signed.packet).toMatchObject({ format: 'panelist-decision-packet', schemaVersion: 1, candidate: { name: NAME }, decision: { current: { decision: 'hire', rationale: RATIONALE } } });
    expect(signed.packet.sessions[0]!.criteria[0]!.scores[0]!.evidence).toBe(EVIDENCE);
    expect(signed.packet.signedScorecards[0]!.revisions).toHaveLength(1);
    expect(signed.integrity.sha256).toBe(sha256(packetBytes(signed.packet)));
    expect(JSON.stringify(signed)).not.toContain('My private worry');
    const withNotes = JSON.parse((await exported('json', true)).toString('utf8')) as SignedPacket;
    expect(withNotes.packet.privateNotes).toEqual([{ scorecardId: expect.any(String), session: expect.any(String), text: PRIVATE }]);
    const html = (await exported('html', true)).toString('utf8');
    expect(html).toContain('PRIVATE — the exporter’s own note');
    // The export is in the decision's audit trail.
    const audit = await core.value('debrief:get', { candidateId });
    expect(audit.packets.map((p) => p.format)).toEqual(['json', 'json', 'html']);
    expect(audit.packets[0]!.hash).toBe(signed.integrity.sha256);
  });

  it('HTML: one file, no scripts and nothing fetched, every text from people escaped', async () => {
    const html = (await exported('html')).toString('utf8');
    expect(html).not.toMatch(/<(script|iframe|img|link|object|embed|base)\b|url\(/i);
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|on\w+)\s*=/i);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62; | **Jane** # Doe מרים 👩‍💻');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'");
  });

  it.skipIf(!findChromium())('HTML in Chromium: the hostile texts read as text, nothing runs, and nothing overflows the page, on screen or in print', async () => {
    const html = (await exported('html')).toString('utf8');
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const page = await browser.newPage({ viewport: { width: 820, height: 1000 } });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.setContent(html);
      expect(await page.locator('h1').textContent()).toBe(`Decision packet: ${NAME}`);
      expect(await page.locator('script, iframe, img').count()).toBe(0);
      expect(await page.getByText(TAKEAWAYS, { exact: true }).count()).toBe(1);
      const evidence = page.locator('td .said').filter({ hasText: 'Long evidence without breaks' });
      expect((await evidence.textContent())!.length).toBe(EVIDENCE.length);
      const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.emulateMedia({ media: 'print' });
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('Markdown: renders every text from people as that text, even where HTML is allowed', async () => {
    const md = (await exported('md')).toString('utf8');
    const rendered = new MarkdownIt({ html: true }).render(md);
    // Only the embedded packet's comment, and the block quotes, lists and headings of the packet itself.
    expect(rendered.replace(/<!-- panelist-packet [A-Za-z0-9+/=]+ -->/, '')).not.toMatch(/<(script|img|iframe|table|b|u|a)\b/i);
    const text = rendered.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(text).toContain(NAME);
    expect(text).toContain(TAKEAWAYS);
    expect(text).toContain(RATIONALE);
    expect(text).toContain('| a | b |');
  });

  it('verify-packet: intact in every format; an edit to the data, to the visible text or to a scorecard is caught and named', async () => {
    const json = await exported('json');
    const html = await exported('html');
    const md = await exported('md');
    for (const file of [json, html, md]) expect(await checkPacket(core.ctx, file)).toMatchObject({ intact: true, signer: { name: 'Hana <Manager>', known: true } });

    const signed = JSON.parse(json.toString('utf8')) as SignedPacket;
    const edited = structuredClone(signed);
    edited.packet.decision.current!.rationale = 'Edited later';
    expect(await checkPacket(core.ctx, Buffer.from(JSON.stringify(edited)))).toMatchObject({
      intact: false,
      findings: expect.arrayContaining([expect.stringContaining('does not match its SHA-256'), expect.stringContaining('signature does not verify')]),
    });

    // A forger who edits a score and signs the whole again with their own key: the scorecard gives them away, and the key is unknown.
    const forged = structuredClone(signed);
    forged.packet.sessions[0]!.criteria[1]!.scores[0]!.value = 4;
    const forger = generateKeyPairSync('ed25519');
    const forgerKey = publicKeyText(forger.privateKey);
    const bytes = packetBytes(forged.packet);
    forged.integrity = { algorithm: 'sha256+ed25519', sha256: sha256(bytes), signature: sign(null, bytes, forger.privateKey).toString('base64'), signer: { name: 'Hana <Manager>', publicKey: forgerKey, fingerprint: fingerprint(forgerKey) } };
    expect(await checkPacket(core.ctx, Buffer.from(JSON.stringify(forged)))).toMatchObject({
      intact: false,
      findings: [expect.stringMatching(/^The scorecard by Hana <Manager> \(.*\) shows other scores/)],
      signer: { known: false },
    });

    const visible = html.toString('utf8').replace('<strong>Hire</strong>', '<strong>No hire</strong>');
    expect(await checkPacket(core.ctx, Buffer.from(visible))).toMatchObject({ intact: false, findings: [expect.stringContaining('visible text of the HTML was changed')] });
    const mdVisible = md.toString('utf8').replace('**Hire**', '**No hire**');
    expect(await checkPacket(core.ctx, Buffer.from(mdVisible))).toMatchObject({ intact: false, findings: [expect.stringContaining('visible text of the Markdown was changed')] });
    // The renderings are reproducible from the signed packet alone (what the check relies on).
    expect(packetHtml(signed)).toBe(html.toString('utf8'));
    expect(packetMarkdown(signed)).toBe(md.toString('utf8'));
    expect(canonicalize(signed)).toBeDefined();
  });
});

/** A demo candidate whose packet I may export: I sat on none of their panels, or submitted. */
function visibleDemoCandidate(at: (...args: string[]) => ReturnType<typeof runCli>, scratch: string): string {
  at('demo', '--candidates', '12', '--interviewers', '6', '--seed', '5');
  const candidates = JSON.parse(at('list', 'candidates', '--json').stdout) as { id: string }[];
  const visible = candidates.find((c) => at('packet', c.id, '--format', 'json', '--out', join(scratch, 'probe.json')).code === 0);
  if (!visible) throw new Error('no demo candidate is visible to me');
  return visible.id;
}

describe('packets for a whole role', () => {
  it('writes one whole, verifiable file per candidate into a new folder, skips those hidden from me, and stops between files when cancelled', async () => {
    const demo = await openTestCore();
    try {
      must(await demo.call('demo:load', { candidates: 16, interviewers: 6, seed: 9 }));
      const [role] = await demo.value('roles:list', {});
      const folder = join(demo.dir, 'out');
      const ticket = demo.ctx.newId();
      const progress: number[] = [];
      const unsubscribe = demo.subscribe((e) => e.name === 'job:progress' && e.payload.ticket === ticket && progress.push(e.payload.done));
      const result = await exportRolePackets(demo.ctx, { roleId: role!.id, format: 'md', folder }, ticket);
      unsubscribe();
      expect(result.cancelled).toBe(false);
      expect(result.written + result.skipped.length).toBe(result.total);
      expect(result.skipped.every((s) => s.reason.startsWith('hidden until you submit'))).toBe(true);
      expect(progress.at(-1)).toBe(result.total);
      const files = readdirSync(folder);
      expect(files).toHaveLength(result.written);
      for (const f of files) expect(await checkPacket(demo.ctx, readFileSync(join(folder, f)))).toMatchObject({ intact: true });

      const again = demo.ctx.newId();
      const stopAfterTwo = demo.subscribe((e) => e.name === 'job:progress' && e.payload.ticket === again && e.payload.done === 2 && cancelJob(demo.ctx, again));
      const stopped = await exportRolePackets(demo.ctx, { roleId: role!.id, format: 'json', folder: join(demo.dir, 'stopped') }, again);
      stopAfterTwo();
      expect(stopped.cancelled).toBe(true);
      expect(readdirSync(join(demo.dir, 'stopped')).filter((f) => f.endsWith('.json'))).toHaveLength(stopped.written);
      expect(readdirSync(join(demo.dir, 'stopped')).some((f) => f.endsWith('.part'))).toBe(false);
      expect(stopped.written).toBeLessThan(stopped.total);
    } finally {
      demo.dispose();
    }
  });
});

describe('decision packets from the command line', () => {
  const chromium = findChromium();

  it.skipIf(!chromium)('prints a PDF through Chromium that carries the signed packet, and verify-packet exits 0 only when intact', async () => {
    const dir = tempDataDir();
    try {
      const at = (...args: string[]) => runCli([...args, '--data-dir', dir.dir]);
      const id = visibleDemoCandidate(at, dir.dir);
      expect(at('decide', id, '--decision', 'no-hire', '--rationale', 'Not this time')).toMatchObject({ code: 0, stdout: 'Recorded: no hire (revision 1).\n' });
      const pdf = join(dir.dir, 'packet.pdf');
      const wrote = at('packet', id, '--format', 'pdf', '--paper', 'letter', '--out', pdf);
      expect(wrote.code).toBe(0);
      expect(at('verify-packet', pdf)).toMatchObject({ code: 0, stdout: expect.stringContaining('intact (pdf packet)') });
      const bytes = readFileSync(pdf);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const doc = await PDFDocument.load(bytes);
      expect(doc.getPageCount()).toBeGreaterThan(1);
      // US Letter: 612 × 792 points.
      expect(doc.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
      // Someone swaps the packet inside for an edited one: refused, naming what changed.
      const signed = (await embeddedPacket(bytes)) as SignedPacket;
      signed.packet.decision.current!.decision = 'hire';
      const swapped = join(dir.dir, 'swapped.pdf');
      writeFileSync(swapped, await attachPacket(await (await PDFDocument.create()).save(), JSON.stringify(signed), 'x'));
      expect(at('verify-packet', swapped)).toMatchObject({ code: 1, stdout: expect.stringContaining('CHANGED (pdf packet)\n  The packet was changed after it was signed') });
    } finally {
      dir.remove();
    }
  });

  it('refuses a PDF in one line, writing nothing, when there is no Chromium', () => {
    const dir = tempDataDir();
    try {
      const id = visibleDemoCandidate((...args) => runCli([...args, '--data-dir', dir.dir]), dir.dir);
      const out = join(dir.dir, 'none.pdf');
      const result = runCli(['packet', id, '--format', 'pdf', '--out', out, '--data-dir', dir.dir], { PANELIST_CHROMIUM: '/nonexistent/chromium' });
      expect(result).toMatchObject({
        code: 1,
        stderr: 'panelist: PANELIST_CHROMIUM points at /nonexistent/chromium, which does not exist: point it at Chromium, or export the HTML packet (it prints the same). Nothing was written.\n',
      });
      expect(() => readFileSync(out)).toThrow();
      // A folder of HTML packets for the role, from the command line.
      const roleId = (JSON.parse(runCli(['list', 'roles', '--json', '--data-dir', dir.dir]).stdout) as { id: string }[])[0]!.id;
      const folder = join(dir.dir, 'role-packets');
      const batch = runCli(['packets', '--role', roleId, '--format', 'html', '--out', folder, '--data-dir', dir.dir]);
      expect(batch.code).toBe(0);
      expect(batch.stdout).toMatch(new RegExp(`Wrote ${readdirSync(folder).length} packets? to ${folder}`));
      const bad = join(dir.dir, 'bad.json');
      writeFileSync(bad, '{"packet": {}}');
      expect(runCli(['verify-packet', bad, '--data-dir', dir.dir])).toMatchObject({ code: 1, stdout: expect.stringContaining('not a Panelist decision packet') });
    } finally {
      dir.remove();
    }
  });
});
