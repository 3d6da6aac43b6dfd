/** One entry point for a draft of a given kind from observed behaviour. */
import type { Observed, Policy } from '../../../shared/policy';
import { draftSeccomp } from './seccomp/draft';
import { draftCaps } from './caps/draft';
import { draftNetpol } from './netpol/draft';
import { emptyInventory, type Inventory } from './netpol/inventory';

export type DraftKind = 'seccomp' | 'caps' | 'netpol';

export function draftFor(kind: DraftKind, o: Observed, inv: Inventory = emptyInventory()): { policy: Policy; notes: string[] } {
  switch (kind) {
    case 'seccomp': {
      const policy = draftSeccomp(o);
      const notes = o.syscalls.some((s) => s.phase === 'workload') ? [] : ['no syscall set was recorded for this workload: the profile holds only the runtime base'];
      // runc answers numbers above the highest listed with ENOSYS, so programs fall back from
      // syscalls their kernel may lack (clone3 → clone); everything else refused gets EPERM
      const risky = policy.allow.filter((r) => r.risk);
      if (risky.length) notes.push(`high-risk syscalls allowed, review their evidence: ${risky.map((r) => `${r.name} (${r.risk})`).join(', ')}`);
      const unnamed = o.syscalls.filter((s) => s.phase === 'workload' && s.name.startsWith('syscall_')).map((s) => s.nr);
      if (unnamed.length) notes.push(`syscalls ${unnamed.join(', ')} have no name in this version's ${o.arch} table and are left out`);
      notes.push('runc refuses syscalls numbered above the highest allowed with ENOSYS, the others with EPERM');
      return { policy, notes };
    }
    case 'caps': {
      const policy = draftCaps(o);
      return { policy, notes: o.capProbe ? [] : ['the capability probe was not live: every capability is inferred'] };
    }
    case 'netpol':
      return draftNetpol(o, inv);
  }
}
