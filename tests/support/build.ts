import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli';

/** vitest global setup: the CLI tests run the built CLI, so build it if the sources changed. */
export default function setup(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-built.js')], { stdio: 'inherit' });
}
