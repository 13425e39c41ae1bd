import type { SearchHit } from '../../../shared/hiring';
import type { CoreContext } from '../context';
import { escapeLike } from '../repositories/like';

/**
 * The command palette's search: candidates, interviewers, roles and rubrics whose name has a word
 * starting with what was typed (or contains it, for longer queries), best matches first.
 */
export function searchAll(ctx: CoreContext, query: string, limit: number): SearchHit[] {
  const trimmed = query.trim();
  if (!trimmed) return [];
  return ctx.repos.search.find(escapeLike(trimmed), limit);
}
