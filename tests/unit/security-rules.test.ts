import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|svelte|js|cjs|mjs)$/.test(name) ? [path] : [];
  });
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('security rules that must not drift', () => {
  it('IPC: ipcMain.handle is called only by the one wrapper (src/main/ipc/handle.ts)', () => {
    const callers = sources(join(root, 'src')).filter((file) => /ipcMain\s*\.\s*handle(Once)?\s*\(/.test(readFileSync(file, 'utf8')));
    expect(callers.map((f) => relative(root, f))).toEqual(['src/main/ipc/handle.ts']);
  });

  it('the Content-Security-Policy allows no inline or eval\'d script, in the served page and the built index.html alike', () => {
    const built = readFileSync(join(root, 'out', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(built)?.[1];
    expect(meta).toBeDefined();
    for (const csp of [CONTENT_SECURITY_POLICY, meta!]) {
      const d = directives(csp);
      const scripts = d.get('script-src') ?? d.get('default-src')!;
      expect(scripts).toEqual(["'self'"]);
      expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval/);
      expect(d.get('object-src') ?? d.get('default-src')).toEqual(expect.arrayContaining([expect.stringMatching(/^'(none|self)'$/)]));
      expect(d.get('base-uri')).toEqual(["'none'"]);
      // Styles: Svelte sets style attributes (style:width on the progress bars and charts), which
      // CSP counts as inline styles; no script can run through a style, so 'unsafe-inline' stays there only.
      expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    }
    expect(built).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
