import { AppError } from '../../../shared/result';

/** A write that named a revision someone else has moved on from: refused, and the screen reloads. */
export function changedElsewhere(what: string): AppError {
  return new AppError('stale_revision', `${what} was changed elsewhere since this screen showed it: reload to see the latest.`, 'revision');
}
