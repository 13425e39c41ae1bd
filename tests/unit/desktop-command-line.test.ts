import { describe, expect, it } from 'vitest';
import { desktopCommand } from '../../src/main/cli/desktop-command-line';

describe('the desktop app started as a command', () => {
  it('runs a command named first, packaged or from a checkout, and opens the window otherwise', () => {
    expect(desktopCommand(['/opt/Panelist/panelist', 'packet', 'ID', '--format', 'pdf', '--out', 'f.pdf'], true)).toEqual(['packet', 'ID', '--format', 'pdf', '--out', 'f.pdf']);
    expect(desktopCommand(['/x/electron', '.', 'verify-packet', 'f.pdf'], false)).toEqual(['verify-packet', 'f.pdf']);
    expect(desktopCommand(['/opt/Panelist/panelist'], true)).toBeNull();
    expect(desktopCommand(['/opt/Panelist/panelist', '--data-dir', '/tmp/x'], true)).toBeNull();
    // What an operating system adds when it opens the app (macOS's -psn_…, a file) is not a command.
    expect(desktopCommand(['/Applications/Panelist.app/Contents/MacOS/Panelist', '-psn_0_12345'], true)).toBeNull();
    expect(desktopCommand(['/opt/Panelist/panelist', 'jane.panelist'], true)).toBeNull();
  });
});
