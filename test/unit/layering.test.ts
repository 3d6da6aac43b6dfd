import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const p = join(dir, name);
    if (statSync(join(root, p)).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

/** Module specifiers of import/export-from/require/dynamic import statements. */
function specifiers(text: string): string[] {
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require(?:\.resolve)?\s*\(\s*['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]/g;
  const out: string[] = [];
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return out;
}

test('electron/core, the server and the CLI never load electron', () => {
  const offenders: string[] = [];
  for (const f of [...sources('electron/core'), ...sources('electron/server'), ...sources('electron/cli')]) {
    for (const s of specifiers(readFileSync(join(root, f), 'utf8'))) {
      if (s === 'electron' || (s.startsWith('electron/') && s !== 'electron/package.json')) offenders.push(`${f}: ${s}`);
    }
  }
  assert.deepEqual(offenders, []);
  assert.ok(sources('electron/core').length > 5, 'the scan found the core');
});

test('shared/ imports nothing of ours and no runtime', () => {
  const offenders: string[] = [];
  for (const f of sources('shared')) {
    for (const s of specifiers(readFileSync(join(root, f), 'utf8'))) {
      if (!s.startsWith('./') && !s.startsWith('../')) offenders.push(`${f}: ${s}`);
      else if (/\.\.\/(electron|renderer)/.test(s) || relative('shared', join(f, '..', s)).startsWith('..')) offenders.push(`${f}: ${s}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the renderer imports neither node nor electron nor the core', () => {
  const offenders: string[] = [];
  for (const f of sources('renderer/src')) {
    for (const s of specifiers(readFileSync(join(root, f), 'utf8'))) {
      if (s.startsWith('node:') || s === 'electron' || s.includes('/electron/')) offenders.push(`${f}: ${s}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the lint rule rejects an electron import in the core', async () => {
  const eslint = new ESLint({ cwd: root });
  const [res] = await eslint.lintText("import { app } from 'electron';\nexport const x = app;\n", {
    filePath: join(root, 'electron/core/layering-probe.ts'),
  });
  assert.ok(res, 'lint ran');
  const messages = res.messages.map((m) => m.message).join('\n');
  assert.match(messages, /electron\/core never imports electron/);
  const [ok] = await eslint.lintText("import { app } from 'electron';\nexport const x = app;\n", {
    filePath: join(root, 'electron/layering-probe.ts'),
  });
  assert.ok(ok && !ok.messages.some((m) => /never imports electron/.test(m.message)), 'the shell may import electron');
});
