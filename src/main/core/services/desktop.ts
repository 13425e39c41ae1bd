import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';

export function openCallWindow(ctx: CoreContext, interviewId: string): { opened: true } {
  if (!ctx.desktop) {
    throw new AppError('unavailable', 'Call mode opens its own small window in the desktop app; here, make this window narrow instead.');
  }
  if (!ctx.repos.interviews.seat(interviewId, ctx.meId)) {
    throw new AppError('forbidden', 'You are not on this interview\'s panel, so you have no scorecard for it.');
  }
  ctx.desktop.openCallWindow(interviewId);
  return { opened: true };
}
