import { describe, expect, it } from 'vitest';
import { appPageMatcher, navigationGuard, refusePermission, refusePermissionCheck, windowOpenGuard } from '../../src/main/window-guards';

const appUrl = new URL('file:///opt/Panelist/resources/app.asar/out/renderer/index.html');
const isApp = appPageMatcher(appUrl);

describe('the window guards', () => {
  it('let a window show only the app\'s own page', () => {
    const navigate = (url: string) => {
      let prevented = false;
      navigationGuard(isApp)({ preventDefault: () => (prevented = true) }, url);
      return prevented ? 'refused' : 'allowed';
    };
    expect(navigate(`${appUrl.href}#/calibration`)).toBe('allowed');
    for (const url of [
      'https://example.org/',
      'http://127.0.0.1:3000/',
      'file:///etc/passwd',
      'file:///opt/Panelist/resources/app.asar/out/renderer/index.html.evil',
      'file:///tmp/opt/Panelist/resources/app.asar/out/renderer/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'not a url',
    ]) {
      expect([url, navigate(url)]).toEqual([url, 'refused']);
    }
  });

  it('never open a window; only an https link goes to the browser', () => {
    const opened: string[] = [];
    const guard = windowOpenGuard((url) => opened.push(url));
    for (const url of ['https://meet.example.com/abc', 'http://meet.example.com/abc', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'ms-msdt:/id', 'https://user:pass@example.com/', 'nonsense']) {
      expect(guard({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://meet.example.com/abc']);
  });

  it('refuse every permission a page asks for', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      let granted: boolean | undefined;
      refusePermission({}, permission, (g) => (granted = g));
      expect([permission, granted]).toEqual([permission, false]);
    }
    expect(refusePermissionCheck()).toBe(false);
  });
});
