import { afterEach, describe, expect, it } from 'vitest';
import type { RubricVersionView } from '../../src/shared/domain';
import { openTestCore, type TestCore } from '../support/core';

let core: TestCore;
afterEach(() => core?.dispose());

const draftInput = (v: RubricVersionView) => ({
  versionId: v.id,
  expectedRevision: v.revision,
  scaleMax: v.scaleMax,
  scaleLabels: v.scaleLabels,
  criteria: v.criteria.map(({ position: _p, ...c }) => c),
});

describe('the rubric editor', () => {
  it('creates a draft, edits it, refuses to publish it half-written, then publishes and freezes it', async () => {
    core = await openTestCore();
    const draft = await core.value('rubrics:create', { name: 'System design', sessionKind: 'architecture', scaleMax: 5 });
    expect(draft).toMatchObject({ status: 'draft', version: 1, scaleMax: 5, scaleLabels: ['Clear concern', 'Some concern', 'Mixed', 'Solid', 'Exceptional'] });

    const edited = await core.value('rubrics:save-draft', {
      ...draftInput(draft),
      criteria: [
        { title: 'Scoping', description: 'Cuts scope on purpose.', weight: 2, guidingQuestions: ['What would you drop?'], anchors: ['a', 'b', 'c', 'd', ''] },
        { ...draftInput(draft).criteria[0]!, title: 'Framing', anchors: ['1', '2', '3', '4', '5'] },
      ],
    });
    expect(edited.criteria.map((c) => c.title)).toEqual(['Scoping', 'Framing']);
    expect(edited.criteria[1]?.id).toBe(draft.criteria[0]?.id);
    expect(edited.revision).toBe(draft.revision + 1);

    const stale = await core.call('rubrics:save-draft', draftInput(draft));
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale_revision' } });

    const early = await core.call('rubrics:publish', { versionId: draft.id });
    expect(early).toMatchObject({ ok: false, error: { code: 'incomplete', message: 'Before you publish, criterion 1 "Scoping": write the anchor for level 5.' } });

    const complete = await core.value('rubrics:save-draft', { ...draftInput(edited), criteria: draftInput(edited).criteria.map((c) => ({ ...c, anchors: ['1', '2', '3', '4', '5'] })) });
    const published = await core.value('rubrics:publish', { versionId: complete.id });
    expect(published.status).toBe('published');
    expect(await core.call('rubrics:save-draft', draftInput(published))).toMatchObject({ ok: false, error: { code: 'read_only' } });

    const v2 = await core.value('rubrics:new-version', { rubricId: published.rubricId });
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    expect(v2.criteria.map((c) => c.title)).toEqual(['Scoping', 'Framing']);
    expect(v2.criteria[0]?.id).not.toBe(published.criteria[0]?.id);
    expect(await core.call('rubrics:new-version', { rubricId: published.rubricId })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const list = await core.value('rubrics:list', {});
    expect(list.find((r) => r.name === 'System design')?.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'published'],
      [2, 'draft'],
    ]);
  });

  it('copies a rubric into a new draft', async () => {
    core = await openTestCore();
    const [architecture] = (await core.value('rubrics:list', {})).filter((r) => r.sessionKind === 'architecture');
    const source = architecture?.versions[0];
    if (!source) throw new Error('no default rubric');
    const copy = await core.value('rubrics:copy', { versionId: source.id, name: 'Architecture (SRE)' });
    expect(copy).toMatchObject({ name: 'Architecture (SRE)', version: 1, status: 'draft', scaleMax: 4 });
    expect(copy.criteria).toHaveLength(5);
  });
});

describe('roles and loops', () => {
  it('creates a role with a loop of published rubrics only, and keeps a stage that has interviews', async () => {
    core = await openTestCore();
    const rubrics = await core.value('rubrics:list', {});
    const published = rubrics.map((r) => r.versions[0]!).filter((v) => v.status === 'published');
    const draft = await core.value('rubrics:create', { name: 'Draft', sessionKind: 'ceo_cto' });
    const refused = await core.call('roles:create', { title: 'SRE', stages: [{ sessionKind: 'ceo_cto', title: 'CEO/CTO', rubricVersionId: draft.id }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'stages.0.rubricVersionId' } });

    const role = await core.value('roles:create', {
      title: 'Site Reliability Engineer',
      stages: published.slice(0, 2).map((v, i) => ({ sessionKind: i === 0 ? 'architecture' : 'technical_experience', title: `Stage ${i + 1}`, rubricVersionId: v.id })),
    });
    expect(role.stages.map((s) => [s.position, s.title])).toEqual([
      [1, 'Stage 1'],
      [2, 'Stage 2'],
    ]);
    const reordered = await core.value('roles:save-loop', {
      roleId: role.id,
      stages: [role.stages[1]!, role.stages[0]!].map(({ id, sessionKind, title, durationMinutes, rubricVersionId }) => ({ id, sessionKind, title, durationMinutes, rubricVersionId })),
    });
    expect(reordered.stages.map((s) => s.title)).toEqual(['Stage 2', 'Stage 1']);

    await core.value('demo:load', { candidates: 10, interviewers: 4, seed: 2 });
    const roles = await core.value('roles:list', {});
    const example = roles.find((r) => r.title === 'Software Engineer – Distribution' && !r.isDemo);
    const detail = await core.value('roles:get', { roleId: example!.id });
    const dropped = await core.call('roles:save-loop', { roleId: detail.id, stages: [] });
    expect(dropped).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});
