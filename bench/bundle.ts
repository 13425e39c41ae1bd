import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The JavaScript a first load of the built renderer fetches before it can run: the module
 * script(s) and modulepreload links of index.html. Lazily imported chunks and CSS are not counted.
 */
export function initialScripts(rendererDir: string): string[] {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const tag of html.match(/<(?:script|link)\b[^>]*>/gi) ?? []) {
    const isModuleScript = /^<script\b/i.test(tag) && /\btype=["']?module\b/i.test(tag);
    const isModulePreload = /^<link\b/i.test(tag) && /\brel=["']?modulepreload\b/i.test(tag);
    const address = /\b(?:src|href)=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if ((isModuleScript || isModulePreload) && address) files.add(join(rendererDir, address.replace(/^\.?\//, '')));
  }
  if (files.size === 0) throw new Error(`no module script in ${join(rendererDir, 'index.html')}`);
  return [...files];
}

/** Each file gzipped on its own (node:zlib, default level), as it would travel: total bytes. */
export function gzippedBytes(files: readonly string[]): number {
  return files.reduce((total, file) => total + gzipSync(readFileSync(file)).length, 0);
}
