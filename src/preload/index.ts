import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, type Channel } from '../shared/channels';

const allowed = new Set<string>(CHANNELS);
/** Push events from the core; the same name as EVENT_CHANNEL in main/ipc (the preload bundles no main code). */
const EVENT_CHANNEL = 'panelist:event';

/** Exactly the contract's channels and its push events, nothing else: the renderer never sees ipcRenderer. */
const bridge = {
  invoke(channel: Channel, input: unknown): Promise<unknown> {
    if (!allowed.has(channel)) return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `Unknown channel: ${String(channel)}` } });
    return ipcRenderer.invoke(channel, input);
  },
  onEvent(listener: (event: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => ipcRenderer.off(EVENT_CHANNEL, forward);
  },
};

contextBridge.exposeInMainWorld('panelist', bridge);
