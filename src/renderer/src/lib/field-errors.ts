import type { AppErrorShape } from '../../../shared/result';

/** Errors by field name, each one sentence, shown beside the field. */
export type FieldErrors = Record<string, string>;

/**
 * "email: not an email address" → "Not an email address.": the core names the field first; beside
 * the field, the name is obvious.
 */
export function sentence(message: string): string {
  const bare = message.replace(/^[a-zA-Z]+(?:\.\d+)*: /, '');
  const capital = bare.charAt(0).toUpperCase() + bare.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}

/** The field a core error belongs to ("panel.2" → "panel"), or "" when it names none. */
export function fieldOf(error: AppErrorShape): string {
  return (error.path ?? '').split('.')[0] ?? '';
}

/**
 * A core error placed beside its field when the form has one, else under the form (as `form`).
 * A stale revision is said for the whole form, with what to do.
 */
export function toFieldErrors(error: AppErrorShape, fields: readonly string[]): FieldErrors {
  const field = fieldOf(error);
  if (error.code !== 'stale_revision' && fields.includes(field)) return { [field]: sentence(error.message) };
  return { form: sentence(error.message) };
}
