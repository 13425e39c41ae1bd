import type { Db } from '../db/connection';
import { AuditRepository } from './audit';
import { CalibrationRepository } from './calibration';
import { CalibrationProjectionRepository } from './calibration-projection';
import { CandidatesRepository } from './candidates';
import { ConflictsRepository } from './conflicts';
import { DecisionsRepository } from './decisions';
import { DemoRepository } from './demo';
import { ErasuresRepository } from './erasures';
import { ExchangeRepository } from './exchange';
import { HubRecordsRepository } from './hub-records';
import { InterviewSummariesRepository } from './interview-summaries';
import { InterviewersRepository } from './interviewers';
import { InterviewsRepository } from './interviews';
import { KeyEventsRepository } from './key-events';
import { LoopsRepository } from './loops';
import { PanelViewsRepository } from './panel-views';
import { RolesRepository } from './roles';
import { RubricsRepository } from './rubrics';
import { SearchRepository } from './search';
import { ScorecardRevisionsRepository } from './scorecard-revisions';
import { ScorecardsRepository } from './scorecards';
import { SettingsRepository } from './settings';

export function createRepositories(db: Db) {
  return {
    audit: new AuditRepository(db),
    calibration: new CalibrationRepository(db),
    calibrationProjection: new CalibrationProjectionRepository(db),
    candidates: new CandidatesRepository(db),
    conflicts: new ConflictsRepository(db),
    decisions: new DecisionsRepository(db),
    demo: new DemoRepository(db),
    erasures: new ErasuresRepository(db),
    exchange: new ExchangeRepository(db),
    hubRecords: new HubRecordsRepository(db),
    interviewers: new InterviewersRepository(db),
    interviews: new InterviewsRepository(db),
    keyEvents: new KeyEventsRepository(db),
    interviewSummaries: new InterviewSummariesRepository(db),
    loops: new LoopsRepository(db),
    panelViews: new PanelViewsRepository(db),
    roles: new RolesRepository(db),
    rubrics: new RubricsRepository(db),
    search: new SearchRepository(db),
    scorecards: new ScorecardsRepository(db),
    scorecardRevisions: new ScorecardRevisionsRepository(db),
    settings: new SettingsRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
