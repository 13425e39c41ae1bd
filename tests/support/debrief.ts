import type { Debrief } from '../../src/shared/decisions';
import { rpc, type ServeProcess } from './cli';

/** One call to a serve process that may be refused; the answer as it came. */
async function attempt<T>(s: ServeProcess, channel: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  const response = await fetch(`${s.origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-panelist-token': s.token },
    body: JSON.stringify(input),
  });
  return (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
}

/**
 * On a demo installation: a candidate whose debrief I may read (every session scored, a panel of
 * at least three, and a disagreement to start from), and one whose panel stays hidden from me (I
 * hold an unsubmitted seat on their loop).
 */
export async function demoDebriefs(s: ServeProcess): Promise<{ readable: Debrief; hidden: { id: string; name: string } }> {
  const { items: candidates } = await rpc<{ items: { id: string; name: string }[] }>(s, 'candidates:list', { limit: 500 });
  let readable: Debrief | null = null;
  let hidden: { id: string; name: string } | null = null;
  for (const c of candidates) {
    if (readable && hidden) break;
    const answer = await attempt<Debrief>(s, 'debrief:get', { candidateId: c.id });
    if (!answer.ok) {
      if (answer.error.code === 'hidden_until_submitted') hidden ??= { id: c.id, name: c.name };
      continue;
    }
    const d = answer.value;
    if (!readable && d.sessions.length === 4 && d.votes.length >= 3 && d.disagreements.length > 0) readable = d;
  }
  if (!readable || !hidden) throw new Error('the demo has no readable debrief with a disagreement, or no hidden one');
  return { readable, hidden };
}
