import type { Db } from '../db/connection';
import { AuditRepository } from './audit';
import { CandidatesRepository } from './candidates';
import { DemoRepository } from './demo';
import { InterviewersRepository } from './interviewers';
import { InterviewsRepository } from './interviews';
import { LoopsRepository } from './loops';
import { RolesRepository } from './roles';
import { RubricsRepository } from './rubrics';
import { ScorecardsRepository } from './scorecards';

export function createRepositories(db: Db) {
  return {
    audit: new AuditRepository(db),
    candidates: new CandidatesRepository(db),
    demo: new DemoRepository(db),
    interviewers: new InterviewersRepository(db),
    interviews: new InterviewsRepository(db),
    loops: new LoopsRepository(db),
    roles: new RolesRepository(db),
    rubrics: new RubricsRepository(db),
    scorecards: new ScorecardsRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
