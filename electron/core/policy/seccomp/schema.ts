/**
 * The OCI runtime-spec `linux.seccomp` object (also Docker's profile format, which adds archMap
 * and per-rule comments/includes/excludes), as a runtime schema: exported drafts are checked
 * against it and user files are read through it, so a bad file gets an error naming the field.
 */
import { array, int, object, oneOf, optional, record, str, type Schema } from '../../../../shared/schema';

export const SCMP_ACTIONS = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
] as const;

export const SCMP_ARCH_NAMES = [
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X32',
  'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64',
  'SCMP_ARCH_MIPS',
  'SCMP_ARCH_MIPS64',
  'SCMP_ARCH_MIPS64N32',
  'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64',
  'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC',
  'SCMP_ARCH_PPC64',
  'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390',
  'SCMP_ARCH_S390X',
  'SCMP_ARCH_PARISC',
  'SCMP_ARCH_PARISC64',
  'SCMP_ARCH_RISCV64',
] as const;

export const SCMP_OPS = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
] as const;

/** Bounds for untrusted files: far above any real profile. */
const MAX_RULES = 4096;
const MAX_NAMES = 1024;
const syscallName = str({ min: 1, max: 64, pattern: /^[a-z0-9_]+$/ });
const u64 = int({ min: 0 });

export const SeccompArg = object({
  index: int({ min: 0, max: 5 }),
  value: u64,
  valueTwo: optional(u64),
  op: oneOf(SCMP_OPS),
});

export function seccompRuleSchema(extra: 'keep' | 'reject') {
  return object(
    {
      names: optional(array(syscallName, { max: MAX_NAMES })),
      name: optional(syscallName),
      action: oneOf(SCMP_ACTIONS),
      errnoRet: optional(int({ min: 0, max: 4095 })),
      args: optional(array(SeccompArg, { max: 6 })),
      comment: optional(str({ max: 4096 })),
      includes: optional(record(optional(array(str({ max: 256 }), { max: 64 })) as Schema<unknown>, { maxKeys: 8 })),
      excludes: optional(record(optional(array(str({ max: 256 }), { max: 64 })) as Schema<unknown>, { maxKeys: 8 })),
    },
    { extra },
  );
}

export function ociSeccompSchema(extra: 'keep' | 'reject') {
  return object(
    {
      defaultAction: oneOf(SCMP_ACTIONS),
      defaultErrnoRet: optional(int({ min: 0, max: 4095 })),
      architectures: optional(array(oneOf(SCMP_ARCH_NAMES), { max: 32 })),
      archMap: optional(
        array(object({ architecture: oneOf(SCMP_ARCH_NAMES), subArchitectures: optional(array(oneOf(SCMP_ARCH_NAMES), { max: 16 })) }), { max: 16 }),
      ),
      flags: optional(array(oneOf(['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV']), { max: 8 })),
      listenerPath: optional(str({ max: 4096 })),
      listenerMetadata: optional(str({ max: 4096 })),
      syscalls: optional(array(seccompRuleSchema(extra), { max: MAX_RULES })),
    },
    { extra },
  );
}

/** Strict: what we export must be exactly the runtime-spec object. */
export const OciSeccompStrict = ociSeccompSchema('reject');
/** Lenient on unknown fields (newer runtimes), strict on the types of known ones. */
export const OciSeccompLoad = ociSeccompSchema('keep');
