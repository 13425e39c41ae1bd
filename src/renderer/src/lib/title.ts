/** The window title: what is on screen first, the app's name last ("Jane Doe — Panelist"). */
export const APP_NAME = 'Panelist';

/**
 * Joins the parts that name the screen, most specific first, with " · ", and adds the app's name:
 * `pageTitle('Architecture', 'Tomas Nguyen')` is "Architecture · Tomas Nguyen — Panelist".
 * Empty parts are left out; with none, the title is just "Panelist". A view sets it with
 * `<svelte:head><title>{pageTitle(…)}</title></svelte:head>`.
 */
export function pageTitle(...parts: (string | null | undefined)[]): string {
  const named = parts.map((p) => p?.trim()).filter((p): p is string => !!p);
  return named.length ? `${named.join(' · ')} — ${APP_NAME}` : APP_NAME;
}
