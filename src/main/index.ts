import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { openCore, type Core } from './core';
import { DEFAULT_SCHEDULE } from './core/sync/hub-syncer';
import { AutomaticBackups, decideAfterOpenFailure } from './core/services/auto-backup';
import { describeRestore, restoreDatabase } from './core/services/backup';
import type { DesktopPort } from './core/context';
import { startReminderNotifications } from './reminders';
import { forwardEvents, registerIpcHandlers } from './ipc/handle';
import { rendererDir } from './paths';
import { CONTENT_SECURITY_POLICY } from './security';
import { APP_VERSION } from './version';
import { appPageMatcher, navigationGuard, refusePermission, refusePermissionCheck, windowOpenGuard } from './window-guards';
import { runCli } from './cli/commands';
import { desktopCommand } from './cli/desktop-command-line';
import { lendDesktop } from './cli/run';

function dataDirFlag(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--data-dir');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
}

/** Started as a command (`Panelist packet …`): no window, the command's output, its exit code. */
const command = desktopCommand(process.argv, app.isPackaged);

const indexHtml = join(rendererDir(), 'index.html');
const appUrl = pathToFileURL(indexHtml);

/** The app's own page, compared as parsed URLs. */
const isAppUrl = appPageMatcher(appUrl);

interface WindowKind {
  /** Opens on this screen (the part after #), e.g. '/today'. */
  route: string;
  /** Call mode: small, always on top, beside the video call. */
  callMode: boolean;
}

function createWindow(kind: WindowKind = { route: '/today', callMode: false }): BrowserWindow {
  const window = new BrowserWindow({
    width: kind.callMode ? 480 : 1200,
    height: kind.callMode ? 760 : 820,
    minWidth: 360,
    minHeight: 420,
    alwaysOnTop: kind.callMode,
    title: kind.callMode ? 'Panelist · call mode' : 'Panelist',
    // Linux and Windows show it in the task bar (macOS takes the bundle's icon); shipped with the renderer.
    icon: fileURLToPath(new URL('../renderer/icon-256.png', import.meta.url)),
    show: false,
    // Written out in full at every window (not spread from a constant) so that the security scan reads them.
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would open links in a new window without going through setWindowOpenHandler's rules.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', navigationGuard(isAppUrl));
  // Links out of the app open in the user's browser, never in a Panelist window.
  window.webContents.setWindowOpenHandler(windowOpenGuard((url) => void shell.openExternal(url)));
  if (kind.callMode) window.setAlwaysOnTop(true, 'floating');
  void window.loadFile(indexHtml, { hash: kind.route });
  return window;
}

const desktop: DesktopPort = {
  openCallWindow: (interviewId) => {
    createWindow({ route: `/interviews/${interviewId}/scorecard`, callMode: true });
  },
  printPdf: async (html) => {
    // An offscreen page with no scripts, no preload and no way out: the packet is self-contained.
    const page = new BrowserWindow({
      show: false,
      webPreferences: { javascript: false, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick', webviewTag: false },
    });
    try {
      page.webContents.on('will-navigate', navigationGuard(() => false));
      page.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      await page.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
      return Buffer.from(await page.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true }));
    } finally {
      page.destroy();
    }
  },
};

let core: Core | undefined;
let backups: AutomaticBackups | undefined;

/**
 * Opens the core; when the database is damaged, offers the latest automatic backup. What to offer is
 * decided in the core (decideAfterOpenFailure, tested there); this only asks.
 */
async function openOrRecover(dataDir: string): Promise<Core> {
  try {
    return await openCore({ dataDir, version: APP_VERSION, desktop, syncInBackground: DEFAULT_SCHEDULE });
  } catch (error) {
    const decision = decideAfterOpenFailure(dataDir, error);
    if (decision.action === 'report') throw error;
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: 'Panelist',
      message: decision.message,
      detail: decision.question,
      buttons: ['Restore the backup', 'Quit'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    if (response !== 0) throw error;
    console.log(describeRestore(await restoreDatabase({ dataDir, source: decision.backup.file })));
    return openCore({ dataDir, version: APP_VERSION, desktop, syncInBackground: DEFAULT_SCHEDULE });
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler(refusePermission);
  session.defaultSession.setPermissionCheckHandler(refusePermissionCheck);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  const dataDir = dataDirFlag(process.argv) ?? process.env.PANELIST_DATA_DIR ?? app.getPath('userData');
  core = await openOrRecover(dataDir);
  backups = new AutomaticBackups(core.ctx, { subscribe: core.subscribe });
  void backups.start();
  registerIpcHandlers(core.handlers, isAppUrl);
  forwardEvents(core.subscribe, isAppUrl);
  const main = createWindow();
  startReminderNotifications(core.handlers, (interviewId) => {
    if (main.isDestroyed()) createWindow({ route: `/interviews/${interviewId}/scorecard`, callMode: false });
    else {
      void main.loadFile(indexHtml, { hash: `/interviews/${interviewId}/scorecard` });
      main.show();
      main.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => {
  // A command prints PDFs in hidden windows of its own: closing them is not the user quitting.
  if (command) return;
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', (event) => {
  const closing = core;
  if (!closing) return;
  core = undefined;
  // A backup or a rewrite in progress finishes before the database closes.
  event.preventDefault();
  void (backups?.stop() ?? Promise.resolve()).finally(() => {
    closing.close();
    app.quit();
  });
});

/** Started as a command: run it with Electron's printing lent to it, print, and quit with its exit code. */
async function runCommand(args: string[]): Promise<void> {
  await app.whenReady();
  lendDesktop(desktop);
  const code = await runCli(args, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) });
  app.exit(code);
}

if (command) {
  void runCommand(command).catch((error: unknown) => {
    process.stderr.write(`panelist: ${error instanceof Error ? error.message : String(error)}\n`);
    app.exit(1);
  });
} else {
  start().catch((error: unknown) => {
    console.error(`Panelist could not start: ${error instanceof Error ? error.message : String(error)}`);
    if (app.isReady()) dialog.showErrorBox('Panelist could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
