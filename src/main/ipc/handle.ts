import { ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../../shared/channels';
import type { CoreEvent, Handlers } from '../../shared/contract';
import { dispatch } from '../../shared/dispatch';
import { fail } from '../../shared/result';

/** Whether a frame's URL is the app's own page (parsed, never substring-matched). */
export type OriginCheck = (frameUrl: string) => boolean;

/**
 * The Electron transport: one wrapper for every channel of the contract. It refuses calls from
 * any frame that is not the app itself, then parses, calls and returns a Result.
 */
export function registerIpcHandlers(handlers: Handlers, isAppUrl: OriginCheck): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isAppUrl(frameUrl)) return fail('forbidden', 'Calls are only accepted from the Panelist window.');
      return dispatch(handlers, channel, input);
    });
  }
}

/** The one IPC channel that carries push events from the core to the windows. */
export const EVENT_CHANNEL = 'panelist:event';

/** Sends every core event to every open window of the app's own page. */
export function forwardEvents(subscribe: (listener: (event: CoreEvent) => void) => () => void, isAppUrl: OriginCheck): () => void {
  return subscribe((event) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, event);
    }
  });
}
