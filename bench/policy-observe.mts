// How fast collector events fold into observed behaviour and drafts (the cost of a draft over a
// large investigation): `node --import tsx bench/policy-observe.mts [events]`.
import { parseLine } from '../shared/events';
import { createObserver, draftCaps, draftNetpol, draftSeccomp, emptyInventory } from '../electron/core/policy';

const n = Number(process.argv[2] ?? 1_000_000);
const containers = 50;
const lines: string[] = [];
for (let i = 0; i < 20_000; i++) {
  const c = i % containers;
  const base = { ts: 1e9 + i, pid: 1000 + (i % 500), tid: 1000, ppid: 1, uid: 0, gid: 0, comm: 'worker', cgroup: 100 + c, cid: `c${c}`, mntns: 1, pidns: 2, netns: 3 };
  const k = i % 4;
  if (k === 0) lines.push(JSON.stringify({ kind: 'syscalls', ts: base.ts, cgroup: base.cgroup, cid: base.cid, arch: 'x86_64', phase: 'workload', nr: [i % 300, (i * 7) % 300] }));
  else if (k === 1) lines.push(JSON.stringify({ ...base, kind: 'net', op: 'connect', proto: 'tcp', family: 4, saddr: `10.0.0.${c}`, sport: 40000 + (i % 1000), daddr: `10.1.${i % 20}.${i % 250}`, dport: 80 + (i % 5), ret: 0 }));
  else if (k === 2) lines.push(JSON.stringify({ ...base, kind: 'net', op: 'accept', proto: 'tcp', family: 4, saddr: `10.0.0.${c}`, sport: 8080, daddr: `10.2.0.${i % 250}`, dport: 50000 + (i % 1000) }));
  else lines.push(JSON.stringify({ ...base, kind: 'cap', cap: 12, cap_name: 'CAP_NET_ADMIN', verdict: 'allow' }));
}
const t0 = performance.now();
const obs = createObserver();
for (let i = 0; i < n; i++) {
  const r = parseLine(lines[i % lines.length]!);
  if (r.ok) obs.add({ event: r.event, seq: i + 1 });
}
const observed = obs.finish();
const t1 = performance.now();
for (const o of observed) {
  draftSeccomp(o);
  draftCaps(o);
  draftNetpol(o, emptyInventory());
}
const t2 = performance.now();
console.log(
  JSON.stringify({
    events: n,
    workloads: observed.length,
    observeMs: Math.round(t1 - t0),
    eventsPerSecond: Math.round(n / ((t1 - t0) / 1000)),
    draftsMs: Math.round(t2 - t1),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
