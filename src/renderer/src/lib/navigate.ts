import { tick } from 'svelte';
import { href, router, type Route } from './router.svelte';

/**
 * Goes to a screen and then puts the focus on the first of these elements that is there. The
 * screen changes on `hashchange`, after the current task, so the focus waits for it.
 */
export function goAndFocus(route: Route, ...ids: string[]): void {
  const focus = () => void tick().then(() => ids.map((id) => document.getElementById(id)).find((el) => el !== null)?.focus());
  if (window.location.hash === href(route)) {
    focus();
    return;
  }
  window.addEventListener('hashchange', focus, { once: true });
  router.go(route);
}
