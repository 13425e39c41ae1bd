import type { z } from 'zod';
import { contract, isChannel, type Channel, type Handlers, type OutputOf } from './contract';
import { AppError, fail, ok, type Result } from './result';
import { storageError } from './storage-errors';

/** "a, b or c". */
function choices(values: readonly unknown[]): string {
  const texts = values.map(String);
  return texts.length > 1 ? `${texts.slice(0, -1).join(', ')} or ${texts.at(-1)}` : (texts[0] ?? '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): { path: string; message: string } {
  const parts = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    const path = [...parts, issue.keys[0]].join('.');
    return { path, message: `${path}: not a field of this call` };
  }
  const path = parts.join('.');
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    return { path, message: `${path || 'input'}: required (${choices(issue.options)})` };
  }
  if (issue.code === 'invalid_value') {
    const missing = valueAt(input, issue.path) === undefined;
    return { path, message: `${path || 'input'}: ${missing ? 'required' : 'one of'} (${choices(issue.values)})` };
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return { path, message: `${path || 'input'}: required (${issue.expected})` };
  }
  return { path, message: `${path || 'input'}: ${issue.message}` };
}

/**
 * The path of the first text in the input that holds a NUL character, or null. No field of the
 * contract means to carry one, and SQLite's length() stops at it (a name "\u0000…" would reach a
 * CHECK as empty): refused at the door, named like any other invalid field.
 */
function nulAt(input: unknown): string | null {
  const stack: [unknown, string][] = [[input, '']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return null;
}

/**
 * The one way a transport calls the core: checks the channel, parses the input with the
 * channel's schema and turns anything thrown into a failed Result. Nothing throws past here.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail('unknown_channel', `Unknown channel: ${String(channel).slice(0, 80)}`);
  const nul = nulAt(rawInput);
  if (nul !== null) return fail('invalid_input', `${nul || 'input'}: text may not contain a NUL character`, nul);
  const parsed = contract[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const issue = first ? describeIssue(first, rawInput) : { path: '', message: 'input: invalid' };
    return fail('invalid_input', issue.message, issue.path);
  }
  try {
    const handler = handlers[channel] as (input: unknown) => OutputOf<Channel> | Promise<OutputOf<Channel>>;
    return ok(await handler(parsed.data));
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toShape() };
    const storage = storageError(error);
    if (storage) return { ok: false, error: storage.toShape() };
    const message = error instanceof Error ? error.message : String(error);
    return fail('internal', `Unexpected error in ${channel}: ${message}`);
  }
}
