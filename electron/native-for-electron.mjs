#!/usr/bin/env node
// better-sqlite3 is a native module: `npm ci` builds it for Node (the CLI, browser mode, tests).
// The Electron window needs the same module built for Electron's ABI. Rather than rebuilding in
// place (which would break the Node side), this builds a second copy under
// node_modules/.cache/tracehound-electron/ and the shell loads it through better-sqlite3's
// `nativeBinding` option (TRACEHOUND_SQLITE_BINDING). Packaged apps don't need this: Forge
// rebuilds the packaged copy for Electron.
// Runs from `tracehound start` when Electron is installed; does nothing when it is not.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

export function electronBinding() {
  let electronVersion;
  try {
    electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  } catch {
    return null;
  }
  const src = dirname(require.resolve('better-sqlite3/package.json'));
  const cache = join(root, 'node_modules', '.cache', 'tracehound-electron', `electron-${electronVersion}`);
  const binding = join(cache, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  cpSync(src, join(cache, 'better-sqlite3'), { recursive: true, filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`) });
  const cwd = join(cache, 'better-sqlite3');
  const bin = (n) => join(root, 'node_modules', '.bin', n);
  try {
    // Prebuilt binaries for Electron exist for most versions and platforms.
    execFileSync(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], { cwd, stdio: 'inherit' });
  } catch {
    execFileSync(bin('node-gyp'), ['rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'], { cwd, stdio: 'inherit' });
  }
  if (!existsSync(binding)) throw new Error(`better-sqlite3 for Electron ${electronVersion} was not built`);
  return binding;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const b = electronBinding();
  console.log(b ?? 'electron is not installed: nothing to build');
}
