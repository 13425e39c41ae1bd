import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type Channel } from '../shared/channels';

const allowed = new Set<string>(CHANNELS);

/** Exactly the contract's channels, nothing else: the renderer never sees ipcRenderer. */
const bridge = {
  invoke(channel: Channel, input: unknown): Promise<unknown> {
    if (!allowed.has(channel)) return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `Unknown channel: ${String(channel)}` } });
    return ipcRenderer.invoke(channel, input);
  },
};

contextBridge.exposeInMainWorld('panelist', bridge);
