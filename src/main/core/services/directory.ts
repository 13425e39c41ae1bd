import type { ParsedInputOf } from '../../../shared/contract';
import type { CandidateListItem, InterviewerListItem, Role } from '../../../shared/domain';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { escapeLike } from '../repositories/like';

// Read-only listings: roles, interviewers, candidates.

function searchTerm(search: string | undefined): string | null {
  const trimmed = search?.trim();
  return trimmed ? escapeLike(trimmed) : null;
}

export function listRoles(ctx: CoreContext): Role[] {
  return ctx.repos.roles.list();
}

export function listInterviewers(ctx: CoreContext, input: ParsedInputOf<'interviewers:list'>): InterviewerListItem[] {
  return ctx.repos.interviewers.list(searchTerm(input.search));
}

export function listCandidates(
  ctx: CoreContext,
  input: ParsedInputOf<'candidates:list'>,
): { items: CandidateListItem[]; total: number } {
  return ctx.repos.candidates.list(
    { roleId: input.roleId ?? null, search: searchTerm(input.search), includeArchived: input.includeArchived ? 1 : 0, limit: input.limit, offset: input.offset },
    nowOf(ctx),
  );
}
