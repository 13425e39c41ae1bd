import type { Repositories } from '../repositories';

/** The interviewer who uses this installation, created on first start. */
export function ensureMe(repos: Repositories, newId: () => string, now: string): string {
  const existing = repos.interviewers.me();
  if (existing) return existing.id;
  const id = newId();
  repos.interviewers.insert({ id, name: 'Me', email: '', isMe: true, isDemo: false, now });
  return id;
}
