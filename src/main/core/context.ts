import type { Db } from './db/connection';
import type { EventBus } from './events';
import type { CheckedBundle } from './exchange/checked-bundle';
import type { CheckRun } from './exchange/check-in-workers';
import type { KeyPair } from './provenance/keys';
import type { Repositories } from './repositories';

/** What only the desktop shell can do; absent in serve mode and the CLI. */
export interface DesktopPort {
  /** A small always-on-top window with just this interview's scorecard, for the video call. */
  openCallWindow(interviewId: string): void;
  /** Prints a self-contained HTML page to PDF with Electron's printToPDF (elsewhere: Chromium, see packets/pdf.ts). */
  printPdf(html: string): Promise<Buffer>;
}

/** What every service gets: the connection, the repositories, and the installation's facts. */
export interface CoreContext {
  db: Db;
  repos: Repositories;
  dataDir: string;
  databaseFile: string;
  version: string;
  /** The interviewer who uses this installation. */
  meId: string;
  clock: () => Date;
  newId: () => string;
  desktop: DesktopPort | undefined;
  /** This installation's key pair: what it signs with (its own scorecards, later its packets). */
  keys: KeyPair;
  /** Push events to every open window (emit after the change has committed). */
  events: EventBus;
  /** Reads a .panelist file and checks its signatures, off the main thread in the app. */
  checkBundle: BundleChecker;
}

export type BundleChecker = (file: Buffer, run?: CheckRun) => Promise<CheckedBundle>;

export function nowOf(ctx: CoreContext): string {
  return ctx.clock().toISOString();
}
