import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src/shared/contract';
import { rpc, runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir> | undefined;
let serves: ServeProcess[] = [];
const streams: AbortController[] = [];
afterEach(async () => {
  streams.splice(0).forEach((s) => s.abort());
  await Promise.all(serves.map((s) => s.stop()));
  serves = [];
  data?.remove();
});

/** Opens a serve process's event stream as the renderer does (token in a header) and collects its events. */
async function listen(s: ServeProcess): Promise<{ events: CoreEvent[]; next: (match: (e: CoreEvent) => boolean) => Promise<CoreEvent> }> {
  const abort = new AbortController();
  streams.push(abort);
  const response = await fetch(`${s.origin}/events`, { headers: { 'x-panelist-token': s.token }, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: CoreEvent[] = [];
  const waiters: { match: (e: CoreEvent) => boolean; resolve: (e: CoreEvent) => void }[] = [];
  void (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as CoreEvent;
          events.push(event);
          for (const w of waiters.splice(0)) {
            if (w.match(event)) w.resolve(event);
            else waiters.push(w);
          }
        }
      }
    } catch {
      /* aborted */
    }
  })();
  const next = (match: (e: CoreEvent) => boolean) =>
    new Promise<CoreEvent>((resolve) => {
      const already = events.find(match);
      if (already) resolve(already);
      else waiters.push({ match, resolve });
    });
  return { events, next };
}

async function myDraft(s: ServeProcess): Promise<{ scorecardId: string; criterionId: string }> {
  const today = await rpc<{ unsubmitted: { interviewId: string }[]; upcoming: { interviewId: string }[] }>(s, 'today:list', {});
  const interviewId = (today.unsubmitted[0] ?? today.upcoming[0])?.interviewId ?? '';
  const opened = await rpc<{ scorecard: { id: string }; rubric: { criteria: { id: string }[] } }>(s, 'scorecards:open', { interviewId });
  return { scorecardId: opened.scorecard.id, criterionId: opened.rubric.criteria[0]!.id };
}

describe('push events in serve mode', () => {
  it('streams events only to a caller with the token, from the same origin', async () => {
    data = tempDataDir();
    const serve = await startServe(data.dir);
    serves.push(serve);
    expect((await fetch(`${serve.origin}/events`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/events?token=${serve.token}`)).status).toBe(401);
    const foreign = await fetch(`${serve.origin}/events`, { headers: { 'x-panelist-token': serve.token, origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('tells an open window about a change made in another window, and about one made by another process', async () => {
    data = tempDataDir();
    expect(runCli(['demo', '--candidates', '12', '--interviewers', '4', '--seed', '6', '--data-dir', data.dir]).code).toBe(0);
    const first = await startServe(data.dir);
    const second = await startServe(data.dir);
    serves.push(first, second);
    const window = await listen(first);
    const cell = await myDraft(first);

    const saved = await rpc<{ revision: number }>(first, 'scorecards:set-score', { ...cell, value: 2, seenRevision: 0 });
    expect(await window.next((e) => e.name === 'scorecard:changed')).toEqual({
      name: 'scorecard:changed',
      payload: { scorecardId: cell.scorecardId, revision: saved.revision },
    });

    await rpc(second, 'scorecards:set-score', { ...cell, value: 3, seenRevision: saved.revision });
    expect(await window.next((e) => e.name === 'data:changed')).toEqual({ name: 'data:changed', payload: { reason: 'external' } });
  });
});
