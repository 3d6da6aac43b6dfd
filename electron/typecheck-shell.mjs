#!/usr/bin/env node
// Type-checks the Electron shell (main, preload, menu, window state) against Electron's own
// published type definitions. Where the optional `electron` package could not install (no
// binary download possible), its electron.d.ts is taken from the same version's npm tarball.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'node_modules', '.cache', 'tracehound-electron-types');
let types = join(root, 'node_modules', 'electron', 'electron.d.ts');
if (!existsSync(types)) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const version = lock.packages?.['node_modules/electron']?.version;
  if (!version) throw new Error('electron is not in package-lock.json');
  types = join(cache, 'package', 'electron.d.ts');
  if (!existsSync(types)) {
    mkdirSync(cache, { recursive: true });
    const tgz = execFileSync('npm', ['pack', `electron@${version}`, '--silent', '--pack-destination', cache], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', join(cache, tgz), '-C', cache, 'package/electron.d.ts']);
  }
}
const tsconfig = join(cache, 'tsconfig.shell.json');
mkdirSync(cache, { recursive: true });
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: join(root, 'tsconfig.json'),
    compilerOptions: { noEmit: true, paths: { electron: [types] } },
    include: ['main.ts', 'preload.ts', 'menu.ts', 'window-state.ts'].map((f) => join(root, 'electron', f)),
    exclude: [],
  }),
);
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { stdio: 'inherit' });
console.log('electron shell: types OK');
