/**
 * A count with its noun in the right number: `plural(1, 'role')` is "1 role", `plural(2, 'role')`
 * "2 roles", `plural(3, 'criterion', 'criteria')` "3 criteria". `format` writes the number
 * (plain digits by default; the renderer passes its locale formatter for "1,234").
 * English only, like the rest of the interface.
 */
export function plural(count: number, one: string, many: string = `${one}s`, format: (n: number) => string = String): string {
  return `${format(count)} ${count === 1 ? one : many}`;
}
