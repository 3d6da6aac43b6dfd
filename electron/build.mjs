#!/usr/bin/env node
// Builds every JavaScript artefact with esbuild:
//   dist/cli.cjs                the CLI and browser-mode server (Node)
//   dist/electron/main.cjs      the Electron shell, dist/electron/preload.cjs its preload
//   dist/renderer/              the React renderer (index.html, app.js, app.css)
//   dist/parse-worker.cjs       the ingest's parse worker (also beside the Electron main)
// Native modules stay external (better-sqlite3, ssh2's optional parts) and load from node_modules.
// Flags: --if-missing (skip when dist/ is complete), --watch (renderer only), --dev (no minify).
import { build, context } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const out = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outputs = ['cli.cjs', 'electron/main.cjs', 'electron/preload.cjs', 'renderer/index.html', 'renderer/app.js'];

if (args.has('--if-missing') && outputs.every((f) => existsSync(join(out, f)))) process.exit(0);

// re2-wasm loads its .wasm file from its own package directory at run time.
const external = ['electron', 'better-sqlite3', 'ssh2', 'cpu-features', 'bufferutil', 'utf-8-validate', 're2-wasm'];
const define = { __TRACEHOUND_VERSION__: JSON.stringify(pkg.version) };
const dev = args.has('--dev');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external,
  define,
  logLevel: 'warning',
  absWorkingDir: root,
};

const renderer = {
  entryPoints: { app: join(root, 'renderer/src/main.tsx') },
  outdir: join(out, 'renderer'),
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  minify: !dev,
  sourcemap: 'linked',
  jsx: 'automatic',
  define: { ...define, 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  loader: { '.woff2': 'file', '.svg': 'file' },
  logLevel: 'warning',
  absWorkingDir: root,
};

function copyHtml() {
  mkdirSync(join(out, 'renderer'), { recursive: true });
  copyFileSync(join(root, 'renderer/index.html'), join(out, 'renderer/index.html'));
}

if (args.has('--watch')) {
  copyHtml();
  const ctx = await context(renderer);
  await ctx.watch();
  console.log('watching renderer/ …');
} else {
  rmSync(out, { recursive: true, force: true });
  const t0 = Date.now();
  await Promise.all([
    build({ ...node, entryPoints: [join(root, 'electron/cli/main.ts')], outfile: join(out, 'cli.cjs'), banner: { js: '#!/usr/bin/env node' } }),
    build({ ...node, entryPoints: [join(root, 'electron/main.ts')], outfile: join(out, 'electron/main.cjs') }),
    build({ ...node, entryPoints: [join(root, 'electron/preload.ts')], outfile: join(out, 'electron/preload.cjs'), platform: 'node' }),
    // The ingest's parse worker, beside each bundle that starts it (electron/core/ingest/parser.ts).
    build({ ...node, entryPoints: [join(root, 'electron/core/ingest/parse-worker.ts')], outfile: join(out, 'parse-worker.cjs') }),
    build({ ...node, entryPoints: [join(root, 'electron/core/ingest/parse-worker.ts')], outfile: join(out, 'electron/parse-worker.cjs') }),
    build(renderer),
  ]);
  copyHtml();
  chmodSync(join(out, 'cli.cjs'), 0o755);
  console.log(`built dist/ in ${Date.now() - t0} ms`);
}
