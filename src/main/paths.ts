import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Panelist';

/**
 * Where Electron keeps the app's user data (app.getPath('userData')), worked out without
 * Electron so that the CLI and serve mode use the same folder as the desktop app.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** --data-dir wins over PANELIST_DATA_DIR, which wins over the platform's default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.PANELIST_DATA_DIR ?? defaultDataDir(env);
}

/** The built renderer, next to the built main-process files (out/main → out/renderer). */
export function rendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}
