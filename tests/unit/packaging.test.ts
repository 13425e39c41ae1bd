import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The packaging configuration (electron-builder.json) cannot drift from what the README's Security section promises. */

const root = join(import.meta.dirname, '..', '..');
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8'));

describe('packaging', () => {
  it('follows electron-builder\'s own schema', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const { $schema: _schema, ...rest } = config;
    expect(validate(rest) ? [] : validate.errors).toEqual([]);
  });

  it('sets the fuses: no running as Node, no NODE_OPTIONS or --inspect, the app only from its checked asar, cookies encrypted', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the built app into the asar, unpacks only the native SQLite module, and leaves out the benchmarks and source maps', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/**']);
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json', '!out/main/bench.js', '!**/*.map']));
  });

  it('builds AppImage and deb, dmg, and nsis, with the icons from resources/', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    for (const icon of [config.mac.icon, config.win.icon]) expect(readFileSync(join(root, icon)).subarray(1, 4).toString('latin1')).toBe('PNG');
    for (const size of [16, 32, 256, 512]) expect(readFileSync(join(root, config.linux.icon, `${size}x${size}.png`)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
