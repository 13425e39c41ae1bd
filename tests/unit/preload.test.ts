import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../src/shared/channels';

/** The preload is the renderer's only door to the main process: exactly the contract's channels and its push events. */

const exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
const listening: string[] = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string) => listening.push(channel),
    off: () => undefined,
  },
}));

beforeAll(async () => {
  await import('../../src/preload/index');
});

describe('the preload', () => {
  it('exposes one object with invoke and onEvent, and nothing of Electron', () => {
    expect(Object.keys(exposed)).toEqual(['panelist']);
    expect(Object.keys(exposed.panelist as object).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('passes on the contract\'s channels only; anything else is refused without reaching the main process', async () => {
    const bridge = exposed.panelist as { invoke(channel: string, input: unknown): Promise<unknown>; onEvent(l: () => void): () => void };
    for (const channel of CHANNELS) await bridge.invoke(channel, { probe: channel });
    expect(invoked.map(([c]) => c)).toEqual([...CHANNELS]);
    for (const channel of ['panelist:event', 'ELECTRON_BROWSER_REQUIRE', 'app:quit', '__proto__', 'bundles:import ']) {
      expect(await bridge.invoke(channel, {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
    expect(invoked).toHaveLength(CHANNELS.length);
    bridge.onEvent(() => undefined);
    expect(listening).toEqual(['panelist:event']);
  });
});
