// What keeps the app's windows to the app: the answers to navigation, new windows and permission
// requests. Plain functions, unit-tested without Electron. (Each window's webPreferences are
// written out where it is made, in index.ts, where the security scan reads them.)

/** Whether a URL is the app's own page (the file it was loaded from, any #route). */
export function appPageMatcher(appUrl: URL): (candidate: string) => boolean {
  return (candidate) => {
    try {
      const url = new URL(candidate);
      return url.protocol === 'file:' && url.pathname === appUrl.pathname;
    } catch {
      return false;
    }
  };
}

/** `will-navigate`: a window only ever shows the app's own page. */
export function navigationGuard(isAppPage: (url: string) => boolean): (event: { preventDefault(): void }, url: string) => void {
  return (event, url) => {
    if (!isAppPage(url)) event.preventDefault();
  };
}

/**
 * `setWindowOpenHandler`: no Panelist window is ever opened by a page. An https: link the user
 * followed (a video-call link) goes to their browser; anything else (http:, file:, javascript:,
 * data:, custom schemes) goes nowhere.
 */
export function windowOpenGuard(openExternal: (url: string) => void): (details: { url: string }) => { action: 'deny' } {
  return ({ url }) => {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '') openExternal(parsed.toString());
    } catch {
      // Not a URL: nothing to open.
    }
    return { action: 'deny' };
  };
}

/** Every permission request (camera, notifications from a page, geolocation, …) is refused: the app asks for none. */
export function refusePermission(_contents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function refusePermissionCheck(): boolean {
  return false;
}
