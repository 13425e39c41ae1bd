// `npm start`: builds, then launches the desktop app; where Electron's binary is absent it says
// so in one line and starts serve mode instead (the same app in the browser).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import './ensure-built.js';
import { electronBinary } from './electron-binary.js';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const binary = electronBinary(root);
let child;
if (binary) {
  child = spawn(binary, [root, ...args], { stdio: 'inherit' });
} else {
  process.stdout.write('Electron is not available on this machine; starting serve mode instead (open the address below).\n');
  child = spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'serve', ...args], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
