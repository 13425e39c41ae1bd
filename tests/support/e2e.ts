import { expect, type Locator, type Page } from '@playwright/test';

// Keyboard steps that several end-to-end specs take the same way.

/** A datetime-local value in the browser's zone: days from today, at hh:mm. */
export async function localTime(page: Page, days: number, hh: number, mm = 0): Promise<string> {
  return page.evaluate(
    ([d, h, m]) => {
      const x = new Date();
      x.setDate(x.getDate() + d);
      x.setHours(h, m, 0, 0);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())}T${p(h)}:${p(m)}`;
    },
    [days, hh, mm] as const,
  );
}

/** Types a panel member into the picker's filter and takes the first match with Enter. */
export async function addToPanel(form: Locator, who: string): Promise<void> {
  const find = form.getByLabel('Find an interviewer');
  await find.focus();
  await find.page().keyboard.type(who);
  await find.page().keyboard.press('Enter');
  await expect(find).toHaveValue('');
}

export async function press(locator: Locator, key = 'Enter'): Promise<void> {
  await locator.focus();
  await locator.page().keyboard.press(key);
}
