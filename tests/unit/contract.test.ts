import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src/shared/channels';
import { contract, type Handlers } from '../../src/shared/contract';
import { dispatch } from '../../src/shared/dispatch';
import { ScoreValue } from '../../src/shared/domain';
import { uuidv7 } from '../../src/shared/ids';
import { AppError } from '../../src/shared/result';

describe('the contract', () => {
  it('names exactly the channels the preload exposes', () => {
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort());
    for (const channel of CHANNELS) expect(channel).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it('accepts a score within 1–7, "not assessed" or a cleared score, and nothing else', () => {
    for (const ok of [1, 4, 7, 'not_assessed', null]) expect(ScoreValue.safeParse(ok).success, String(ok)).toBe(true);
    for (const bad of [0, 8, 2.5, '3', 'n/a', undefined, true]) expect(ScoreValue.safeParse(bad).success, String(bad)).toBe(false);
  });
});

describe('dispatch', () => {
  const handlers = {
    'app:info': () => {
      throw new AppError('unavailable', 'The database is busy.');
    },
    'roles:list': () => {
      throw new TypeError('boom');
    },
  } as unknown as Handlers;

  it('turns a thrown AppError into a failed Result with its code', async () => {
    expect(await dispatch(handlers, 'app:info', {})).toEqual({ ok: false, error: { code: 'unavailable', message: 'The database is busy.' } });
  });

  it('never lets an unexpected error cross the boundary', async () => {
    expect(await dispatch(handlers, 'roles:list', {})).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error in roles:list: boom' } });
  });

  it('refuses text with a NUL character anywhere, naming the field', async () => {
    const result = await dispatch(handlers, 'interviewers:add', { name: '\u0000Ana', email: 'ana@example.com' });
    expect(result).toEqual({ ok: false, error: { code: 'invalid_input', path: 'name', message: 'name: text may not contain a NUL character' } });
    expect(await dispatch(handlers, 'rubrics:save-draft', { criteria: [{ anchors: ['ok', 'bad\u0000'] }] })).toMatchObject({ error: { path: 'criteria.0.anchors.1' } });
  });

  it('turns a storage failure into its own code and a sentence to show, never internal', async () => {
    const full = { 'app:info': () => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })) } as unknown as Handlers;
    expect(await dispatch(full, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'storage_full', message: 'The disk is full: nothing was saved. Free some space, then try again.' } });
  });

  it('parses before calling: a handler never sees bad input', async () => {
    const result = await dispatch(handlers, 'candidates:list', { limit: 100_000 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'limit' } });
  });
});

describe('uuidv7', () => {
  it('is a version 7, variant 1 UUID that sorts by time', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(a.slice(0, 13).replace('-', '')).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
  });
});
