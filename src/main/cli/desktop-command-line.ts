import { COMMANDS } from './commands';

/**
 * The CLI arguments the desktop app was started with, when it was started as a command
 * (`Panelist packet ID --format pdf --out f.pdf`): what follows the executable (and, unpackaged,
 * the app's folder), provided the first names a command. Otherwise null: open the window.
 */
export function desktopCommand(argv: readonly string[], packaged: boolean): string[] | null {
  const args = argv.slice(packaged ? 1 : 2);
  const first = args[0];
  return first !== undefined && (COMMANDS as readonly string[]).includes(first) ? [...args] : null;
}
