import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { inline } from '../../src/main/core/packets/markdown';

/** Text from people in a Markdown packet reads as exactly that text when rendered (CommonMark, markdown-it). */
const md = new MarkdownIt({ html: true });

const hostile = fc.constantFrom(...'<>&*_[]()#|`~!-+=.:;0123456789 aZ\\/"\'{}é中🙂\u202e'.split(''), 'שלום', '&amp;', '<script>', '<img src=x onerror=alert(1)>', '1.', '2)', '- ', '# ', '| a | b |', '---', '[x]: http://e.org');
const text = fc
  .array(hostile, { minLength: 1, maxLength: 30 })
  .map((parts) => parts.join(''))
  .filter((s) => s.length > 0 && s.trim() === s);

describe('inline', () => {
  it('renders as the text it was given, at the start of a line or after other words, whatever it holds', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(md.render(inline(s))).toBe(`<p>${md.utils.escapeHtml(s)}</p>\n`);
        expect(md.render(`- Name: ${inline(s)}`)).toBe(`<ul>\n<li>Name: ${md.utils.escapeHtml(s)}</li>\n</ul>\n`);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a note on one line', () => {
    expect(inline('first\nsecond\r\nthird')).toBe('first second third');
  });
});
