import type { z } from 'zod';
import { contract, isChannel, type Channel, type Handlers, type OutputOf } from './contract';
import { AppError, fail, ok, type Result } from './result';

function describeIssue(issue: z.core.$ZodIssue): { path: string; message: string } {
  const parts = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    const path = [...parts, issue.keys[0]].join('.');
    return { path, message: `${path}: not a field of this call` };
  }
  const path = parts.join('.');
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    const options = issue.options.map(String);
    const choices = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options.at(-1)}` : (options[0] ?? '');
    return { path, message: `${path || 'input'}: required (${choices})` };
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return { path, message: `${path || 'input'}: required (${issue.expected})` };
  }
  return { path, message: `${path || 'input'}: ${issue.message}` };
}

/**
 * The one way a transport calls the core: checks the channel, parses the input with the
 * channel's schema and turns anything thrown into a failed Result. Nothing throws past here.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail('unknown_channel', `Unknown channel: ${String(channel).slice(0, 80)}`);
  const parsed = contract[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const issue = first ? describeIssue(first) : { path: '', message: 'input: invalid' };
    return fail('invalid_input', issue.message, issue.path);
  }
  try {
    const handler = handlers[channel] as (input: unknown) => OutputOf<Channel> | Promise<OutputOf<Channel>>;
    return ok(await handler(parsed.data));
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toShape() };
    const message = error instanceof Error ? error.message : String(error);
    return fail('internal', `Unexpected error in ${channel}: ${message}`);
  }
}
