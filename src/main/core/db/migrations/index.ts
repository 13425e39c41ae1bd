import { migration0010 } from './0010-init';
import { migration0020 } from './0020-scoring';
import { migration0030 } from './0030-calibration-version';
import { migration0040 } from './0040-calibration-projection';
import { migration0050 } from './0050-field-revisions';
import { migration0060 } from './0060-people-and-schedules';
import { migration0070 } from './0070-signed-revisions';
import { migration0080 } from './0080-exchange-conflicts';
import { migration0090 } from './0090-key-events';
import { migration0100 } from './0100-decisions';
import { migration0110 } from './0110-hub-sync';
import type { Migration } from './types';

/** Every migration in order. Never edit one that has shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [migration0010, migration0020, migration0030, migration0040, migration0050, migration0060, migration0070, migration0080, migration0090, migration0100, migration0110];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
