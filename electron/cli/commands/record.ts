/**
 * `tracehound record`: a live capture from one node into an investigation database and a capture
 * file, from a terminal. Questions (host key, passphrase, sudo password) are asked on the terminal;
 * without one they are refused, so scripts never hang.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { CliCommand } from '../types';
import { intFlag, parseFlags, UsageError } from '../args';
import { databaseFor } from '../../core/paths';
import { openStore } from '../../core/store/store';
import { SessionManager } from '../../core/sessions/manager';
import { defaultCollectorFor, sessionDir, sshTransport } from '../../core/sessions/defaults';
import { storeSink } from '../../core/sessions/store-sink';
import type { PromptAnswer, PromptRequest } from '../../core/sessions/transport';
import type { SessionPrompt } from '../../../shared/api/sessions';

function ask(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((res) => {
    rl.question(question, (a) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      res(a);
    });
    muted = hidden;
  });
}

async function terminalPrompt(p: SessionPrompt | PromptRequest): Promise<PromptAnswer> {
  if (!process.stdin.isTTY) {
    process.stderr.write(`${p.message}\n(no terminal to answer on: refused)\n`);
    return { cancel: true };
  }
  if (p.kind === 'hostKey') {
    process.stderr.write(`${p.message}\n`);
    const a = (await ask('Trust this key? [o]nce, [a]lways, [N]o: ', false)).trim().toLowerCase();
    return { trust: a.startsWith('a') ? 'always' : a.startsWith('o') ? 'once' : 'reject' };
  }
  return { secret: await ask(`${p.message}: `, true) };
}

export const command: CliCommand = {
  name: 'record',
  summary: 'Capture live from a node over SSH into an investigation database and a capture file',
  usage: 'tracehound record <host-or-alias> [--duration s] [--db file] [--out capture.thc.gz] [--kinds list]',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      duration: { type: 'string' },
      db: { type: 'string' },
      out: { type: 'string' },
      kinds: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one host (ssh config alias or user@host:port)');
    const target = positionals[0]!;
    const duration = intFlag(values.duration, 'duration', 1, 7 * 24 * 3600);
    if (values.kinds !== undefined && !/^[a-z,-]{1,256}$/.test(values.kinds)) throw new UsageError('--kinds takes a list like exec,exit or -open');
    const out = values.out ? resolve(values.out) : undefined;
    if (out && existsSync(out)) throw new UsageError(`${out} exists: captures are never overwritten`);
    if (out && !existsSync(dirname(out))) throw new UsageError(`no such directory: ${dirname(out)}`);
    const dbPath = values.db ? resolve(values.db) : databaseFor(null);
    const store = openStore(dbPath);
    const dir = sessionDir(dbPath);
    let events = 0;
    const manager = new SessionManager({
      openTransport: sshTransport,
      collectorFor: defaultCollectorFor,
      sink: (meta) => storeSink(meta, { store, captureDir: dir, captureFile: out, onCommit: (s) => (events = s.events) }),
      logDir: dir,
      emitState: (s) => {
        if (s.state !== 'running' || s.message) process.stderr.write(`${s.node}: ${s.state}${s.message ? ` — ${s.message}` : ''}\n`);
      },
      emitPrompt: (p) => {
        void terminalPrompt(p).then((a) => manager.answer(p.prompt, a));
      },
    });
    const session = manager.start({ target, durationSeconds: duration, kinds: values.kinds });
    const stop = (): void => {
      process.stderr.write('\nstopping…\n');
      void manager.stop(session.id);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const ticker = setInterval(() => {
      const i = session.info();
      if (i.state === 'running') process.stderr.write(`\r${i.node}: ${i.rate} events/s, ${events} stored, ${i.drops} dropped   `);
    }, 1000);
    try {
      await manager.started(session.id);
      await session.finished;
    } finally {
      clearInterval(ticker);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      store.close();
    }
    const i = session.info();
    process.stderr.write(`\n${i.events} events, ${i.drops} dropped by the collector\n`);
    if (i.capturePath) process.stdout.write(`capture: ${i.capturePath}\n`);
    process.stdout.write(`database: ${dbPath}\nsession log: ${i.logPath}\n`);
    if (i.state === 'ended') return 0;
    // the reason (preflight advice included) was printed with the state change
    return i.state === 'interrupted' ? 3 : 1;
  },
};
