/** Syscall numbers and names per architecture, and the matching libseccomp architecture names. */
import type { Arch } from '../../../../shared/policy';
import { AARCH64, X86_64 } from './tables.generated';

interface Table {
  byNr: Map<number, string>;
  byName: Map<string, number>;
}

function index(rows: ReadonlyArray<readonly [number, string]>): Table {
  const byNr = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const [nr, name] of rows) {
    if (!byNr.has(nr)) byNr.set(nr, name);
    byName.set(name, nr);
  }
  return { byNr, byName };
}

const TABLES: Record<Arch, Table> = { x86_64: index(X86_64), aarch64: index(AARCH64) };

/** The name of a syscall number, or `syscall_<nr>` for a number the table does not know. */
export function syscallName(arch: Arch, nr: number): string {
  return TABLES[arch].byNr.get(nr) ?? `syscall_${nr}`;
}

export function syscallNumber(arch: Arch, name: string): number | undefined {
  return TABLES[arch].byName.get(name);
}

/** True when `name` is a syscall of at least one supported architecture. */
export function isKnownSyscall(name: string): boolean {
  return TABLES.x86_64.byName.has(name) || TABLES.aarch64.byName.has(name);
}

export function parseArch(a: unknown): Arch | undefined {
  if (a === 'x86_64' || a === 'amd64') return 'x86_64';
  if (a === 'aarch64' || a === 'arm64') return 'aarch64';
  return undefined;
}

/** libseccomp's names; x86_64 profiles also list x86 and x32 as Docker's default does. */
export const SCMP_ARCHES: Record<Arch, string[]> = {
  x86_64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  aarch64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
};

export function archFromScmp(s: string): Arch | undefined {
  if (s === 'SCMP_ARCH_X86_64') return 'x86_64';
  if (s === 'SCMP_ARCH_AARCH64') return 'aarch64';
  return undefined;
}
