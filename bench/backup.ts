import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupDataFolder } from '../src/main/core/services/backup';
import { median } from './stats';

/**
 * `panelist backup` of the 20,000-candidate demo while the core has it open (as when the app runs):
 * SQLite's online backup to a temporary file, synced and renamed. Median of three fresh files.
 */
export async function backupOnDemo(dataDir: string, scratch: string): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < 3; run++) {
    const file = join(scratch, `backup-${run}.sqlite`);
    const t0 = performance.now();
    const done = await backupDataFolder(dataDir, file);
    samples.push(performance.now() - t0);
    if (done.candidates < 20_000) throw new Error(`the backup holds ${done.candidates} candidates, not the demo's 20,000`);
    rmSync(file);
  }
  return median(samples);
}
