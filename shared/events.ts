/**
 * Collector event schema, protocol version 1 (prose: shared/PROTOCOL.md).
 *
 * Every field is described once here — type, label, column template — and that description
 * drives the runtime validator (ingest of untrusted lines), the store's typed columns and the
 * events table's columns. Unknown kinds and unknown fields are preserved, never silently
 * dropped: a newer collector must not lose data in an older console.
 */

export const PROTOCOL_VERSION = 1;
/** Longest line accepted from a node or a capture file. The collector's bound is 64 KiB. */
export const MAX_LINE_BYTES = 1024 * 1024;

export type FieldType = 'int' | 'str' | 'bool' | 'strs' | 'ints' | 'obj';
export type Template = 'ts' | 'pid' | 'uid' | 'comm' | 'path' | 'argv' | 'addr' | 'port' | 'id' | 'text' | 'num' | 'flag';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly label: string;
  readonly required?: boolean;
  /** Maximum string length / array length accepted. */
  readonly max?: number;
  readonly template?: Template;
  /** Column width in the events table (px); hidden columns are in the column chooser. */
  readonly width?: number;
  readonly hidden?: boolean;
}

const f = (name: string, type: FieldType, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type,
  label,
  ...extra,
});

/** Process context carried by every event about a task. */
export const CONTEXT_FIELDS: readonly FieldSpec[] = [
  f('ts', 'int', 'Time', { required: true, template: 'ts', width: 110 }),
  f('pid', 'int', 'PID', { required: true, template: 'pid', width: 70 }),
  f('tid', 'int', 'TID', { template: 'pid', width: 70, hidden: true }),
  f('ppid', 'int', 'PPID', { template: 'pid', width: 70 }),
  f('start', 'int', 'Process start', { template: 'ts', hidden: true }),
  f('pstart', 'int', 'Parent start', { template: 'ts', hidden: true }),
  f('uid', 'int', 'UID', { template: 'uid', width: 60 }),
  f('gid', 'int', 'GID', { template: 'uid', width: 60, hidden: true }),
  f('comm', 'str', 'Command', { max: 64, template: 'comm', width: 120 }),
  f('cgroup', 'int', 'Cgroup', { template: 'id', hidden: true }),
  f('cid', 'str', 'Container', { max: 256, template: 'id', width: 110 }),
  f('mntns', 'int', 'Mount ns', { template: 'id', hidden: true }),
  f('pidns', 'int', 'PID ns', { template: 'id', hidden: true }),
  f('netns', 'int', 'Net ns', { template: 'id', hidden: true }),
];

export const EVENT_KINDS = [
  'hello',
  'proc',
  'fork',
  'exec',
  'exit',
  'open',
  'net',
  'cred',
  'ptrace',
  'module',
  'mount',
  'ns',
  'cap',
  'syscalls',
  'container',
  'stats',
  'bye',
  'error',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface KindSpec {
  readonly label: string;
  /** True when the line carries the process context. */
  readonly context: boolean;
  readonly fields: readonly FieldSpec[];
  /** One-line summary template used by tables: field names in braces. */
  readonly summary: string;
}

const STR = 4096;
const PATH = 4096;

export const KINDS: Readonly<Record<EventKind, KindSpec>> = {
  hello: {
    label: 'Collector start',
    context: false,
    summary: 'collector {collector} on {hostname} ({kernel})',
    fields: [
      f('proto', 'int', 'Protocol', { required: true }),
      f('collector', 'str', 'Collector version', { required: true, max: 64 }),
      f('kernel', 'str', 'Kernel', { required: true, max: 256 }),
      f('arch', 'str', 'Architecture', { max: 32 }),
      f('boot_id', 'str', 'Boot id', { required: true, max: 64 }),
      f('hostname', 'str', 'Host name', { required: true, max: 256 }),
      f('clock', 'obj', 'Clock anchor', { required: true }),
      f('self_pid', 'int', 'Collector pid'),
      f('probes', 'obj', 'Probes'),
      f('config', 'obj', 'Configuration'),
    ],
  },
  proc: {
    label: 'Running process',
    context: true,
    summary: '{exe} {argv}',
    fields: [
      f('exe', 'str', 'Executable', { max: PATH, template: 'path' }),
      f('argv', 'strs', 'Arguments', { max: 4096, template: 'argv' }),
      f('cwd', 'str', 'Working dir', { max: PATH, template: 'path' }),
      f('euid', 'int', 'EUID', { template: 'uid' }),
      f('egid', 'int', 'EGID', { template: 'uid' }),
      f('auid', 'int', 'Login UID', { template: 'uid' }),
    ],
  },
  fork: { label: 'Fork', context: true, summary: 'forked from {ppid}', fields: [] },
  exec: {
    label: 'Exec',
    context: true,
    summary: '{filename} {argv}',
    fields: [
      f('filename', 'str', 'File', { required: true, max: PATH, template: 'path' }),
      f('filename_trunc', 'bool', 'File cut', { template: 'flag', hidden: true }),
      f('exe', 'str', 'Executable', { max: PATH, template: 'path' }),
      f('exe_trunc', 'bool', 'Executable cut', { template: 'flag', hidden: true }),
      f('argv', 'strs', 'Arguments', { max: 4096, template: 'argv' }),
      f('argv_trunc', 'bool', 'Arguments cut', { template: 'flag' }),
      f('cwd', 'str', 'Working dir', { max: PATH, template: 'path' }),
      f('cwd_trunc', 'bool', 'Working dir cut', { template: 'flag', hidden: true }),
      f('euid', 'int', 'EUID', { template: 'uid' }),
      f('egid', 'int', 'EGID', { template: 'uid' }),
      f('auid', 'int', 'Login UID', { template: 'uid' }),
      f('exe_upper', 'bool', 'Binary in upper layer', { template: 'flag' }),
    ],
  },
  exit: {
    label: 'Exit',
    context: true,
    summary: 'exit {code} signal {signal}',
    fields: [
      f('code', 'int', 'Exit code', { template: 'num' }),
      f('signal', 'int', 'Signal', { template: 'num' }),
      f('core', 'bool', 'Core dumped', { template: 'flag' }),
    ],
  },
  open: {
    label: 'File open',
    context: true,
    summary: '{path}',
    fields: [
      f('path', 'str', 'Path', { required: true, max: PATH, template: 'path' }),
      f('path_trunc', 'bool', 'Path cut', { template: 'flag', hidden: true }),
      f('flags', 'int', 'Flags', { template: 'num' }),
      f('ret', 'int', 'Result', { template: 'num' }),
    ],
  },
  net: {
    label: 'Network',
    context: true,
    summary: '{op} {proto} {saddr}:{sport} → {daddr}:{dport}',
    fields: [
      f('op', 'str', 'Operation', { required: true, max: 16 }),
      f('proto', 'str', 'Protocol', { max: 8 }),
      f('family', 'int', 'Family'),
      f('saddr', 'str', 'Source', { max: 64, template: 'addr' }),
      f('sport', 'int', 'Source port', { template: 'port' }),
      f('daddr', 'str', 'Destination', { max: 64, template: 'addr' }),
      f('dport', 'int', 'Destination port', { template: 'port' }),
      f('ret', 'int', 'Result', { template: 'num' }),
    ],
  },
  cred: {
    label: 'Credentials',
    context: true,
    summary: '{op} {args}',
    fields: [
      f('op', 'str', 'Operation', { required: true, max: 16 }),
      f('args', 'ints', 'Arguments', { max: 8 }),
      f('ret', 'int', 'Result', { template: 'num' }),
      f('effective', 'str', 'Effective caps', { max: 32 }),
      f('permitted', 'str', 'Permitted caps', { max: 32 }),
    ],
  },
  ptrace: {
    label: 'Ptrace',
    context: true,
    summary: 'ptrace request {request} on {target}',
    fields: [
      f('request', 'int', 'Request'),
      f('target', 'int', 'Target', { template: 'pid' }),
      f('ret', 'int', 'Result', { template: 'num' }),
    ],
  },
  module: {
    label: 'Kernel module',
    context: true,
    summary: '{op} {name}',
    fields: [
      f('op', 'str', 'Operation', { required: true, max: 16 }),
      f('name', 'str', 'Module', { max: 256 }),
      f('fd', 'int', 'File descriptor'),
      f('ret', 'int', 'Result', { template: 'num' }),
    ],
  },
  mount: {
    label: 'Mount',
    context: true,
    summary: '{op} {source} {target} {fstype}',
    fields: [
      f('op', 'str', 'Operation', { required: true, max: 16 }),
      f('source', 'str', 'Source', { max: PATH, template: 'path' }),
      f('target', 'str', 'Target', { max: PATH, template: 'path' }),
      f('fstype', 'str', 'Type', { max: 64 }),
      f('flags', 'int', 'Flags'),
      f('ret', 'int', 'Result', { template: 'num' }),
    ],
  },
  ns: {
    label: 'Namespaces',
    context: true,
    summary: '{op} {flags}',
    fields: [
      f('op', 'str', 'Operation', { required: true, max: 16 }),
      f('nstype', 'int', 'Namespace type'),
      f('flags', 'int', 'Flags'),
      f('ret', 'int', 'Result', { template: 'num' }),
    ],
  },
  cap: {
    label: 'Capability',
    context: true,
    summary: '{cap_name} {verdict}',
    fields: [
      f('cap', 'int', 'Capability', { required: true }),
      f('cap_name', 'str', 'Name', { max: 32 }),
      f('audit', 'bool', 'Audit'),
      f('verdict', 'str', 'Verdict', { max: 8 }),
    ],
  },
  syscalls: {
    label: 'Syscall set',
    context: false,
    summary: '{phase} {nr}',
    fields: [
      f('ts', 'int', 'Time', { required: true, template: 'ts' }),
      f('cgroup', 'int', 'Cgroup', { required: true, template: 'id' }),
      f('cid', 'str', 'Container', { max: 256, template: 'id' }),
      f('arch', 'str', 'Architecture', { max: 32 }),
      f('phase', 'str', 'Phase', { max: 16 }),
      f('nr', 'ints', 'Syscalls', { required: true, max: 1024 }),
    ],
  },
  container: {
    label: 'Container',
    context: false,
    summary: '{runtime} {name} {pod}',
    fields: [
      f('ts', 'int', 'Time', { template: 'ts' }),
      f('cid', 'str', 'Container', { required: true, max: 256, template: 'id' }),
      f('cgroup', 'int', 'Cgroup', { template: 'id' }),
      f('runtime', 'str', 'Runtime', { max: 32 }),
      f('name', 'str', 'Name', { max: 256 }),
      f('image', 'str', 'Image', { max: 1024 }),
      f('pod', 'str', 'Pod', { max: 256 }),
      f('namespace', 'str', 'Namespace', { max: 256 }),
      f('pod_uid', 'str', 'Pod UID', { max: 64 }),
      f('sandbox_id', 'str', 'Sandbox', { max: 256 }),
      f('bundle', 'str', 'Bundle', { max: PATH, template: 'path' }),
      f('annotations', 'obj', 'Annotations'),
    ],
  },
  stats: {
    label: 'Collector stats',
    context: false,
    summary: 'sent {sent} dropped {dropped}',
    fields: [
      f('ts', 'int', 'Time', { required: true, template: 'ts' }),
      f('sent', 'obj', 'Sent'),
      f('dropped', 'obj', 'Dropped'),
      f('ringbuf', 'obj', 'Ring buffer'),
    ],
  },
  bye: {
    label: 'Collector end',
    context: false,
    summary: '{reason}',
    fields: [
      f('ts', 'int', 'Time', { template: 'ts' }),
      f('reason', 'str', 'Reason', { max: 64 }),
      f('sent', 'obj', 'Sent'),
      f('dropped', 'obj', 'Dropped'),
    ],
  },
  error: {
    label: 'Collector error',
    context: false,
    summary: '{message}',
    fields: [f('ts', 'int', 'Time', { template: 'ts' }), f('message', 'str', 'Message', { required: true, max: STR }), f('fatal', 'bool', 'Fatal')],
  },
};

/** Fields of a kind in validation order: context first (when the kind has it). */
const KIND_FIELDS: Record<string, readonly FieldSpec[]> = Object.create(null);
for (const k of EVENT_KINDS) {
  const spec = KINDS[k];
  const own = new Set(spec.fields.map((x) => x.name));
  KIND_FIELDS[k] = spec.context ? [...CONTEXT_FIELDS.filter((x) => !own.has(x.name)), ...spec.fields] : spec.fields;
}

export function fieldsOf(kind: EventKind): readonly FieldSpec[] {
  return KIND_FIELDS[kind]!;
}

export function isEventKind(k: unknown): k is EventKind {
  return typeof k === 'string' && k in KIND_FIELDS;
}

/** A validated event line. Kind-specific fields are typed loosely; the field specs are the truth. */
export interface CollectorEvent {
  kind: EventKind;
  ts?: number;
  pid?: number;
  tid?: number;
  ppid?: number;
  start?: number;
  pstart?: number;
  uid?: number;
  gid?: number;
  comm?: string;
  cgroup?: number;
  cid?: string;
  mntns?: number;
  pidns?: number;
  netns?: number;
  [field: string]: unknown;
}

export interface HelloEvent extends CollectorEvent {
  kind: 'hello';
  proto: number;
  collector: string;
  kernel: string;
  arch?: string;
  boot_id: string;
  hostname: string;
  clock: { boot_ns: number; wall_ns: number };
  probes?: Record<string, { live: boolean; type?: string; attach?: string; reason?: string }>;
}

export type EventCheck =
  | { ok: true; event: CollectorEvent }
  | { ok: false; field: string; message: string; unknownKind?: boolean };

function checkField(spec: FieldSpec, v: unknown): string | null {
  switch (spec.type) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) ? null : 'expected integer';
    case 'str':
      if (typeof v !== 'string') return 'expected string';
      return v.length > (spec.max ?? STR) ? `string longer than ${spec.max ?? STR}` : null;
    case 'bool':
      return typeof v === 'boolean' ? null : 'expected boolean';
    case 'strs': {
      if (!Array.isArray(v)) return 'expected array of strings';
      if (v.length > (spec.max ?? 4096)) return `more than ${spec.max ?? 4096} items`;
      for (const s of v) if (typeof s !== 'string' || s.length > 131072) return 'expected array of strings';
      return null;
    }
    case 'ints': {
      if (!Array.isArray(v)) return 'expected array of integers';
      if (v.length > (spec.max ?? 4096)) return `more than ${spec.max ?? 4096} items`;
      for (const n of v) if (typeof n !== 'number' || !Number.isInteger(n)) return 'expected array of integers';
      return null;
    }
    case 'obj':
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'expected object';
  }
}

/**
 * Validates one parsed line. Known fields must have their declared types; unknown fields are
 * kept as they are. The object is returned as is (no copy): ingest is a hot path.
 */
export function checkEvent(v: unknown): EventCheck {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, field: '(line)', message: 'expected a JSON object' };
  const o = v as Record<string, unknown>;
  const kind = o.kind;
  if (typeof kind !== 'string') return { ok: false, field: 'kind', message: 'missing or not a string' };
  const fields = KIND_FIELDS[kind];
  if (!fields) return { ok: false, field: 'kind', message: `unknown kind ${JSON.stringify(kind.slice(0, 40))}`, unknownKind: true };
  for (let i = 0; i < fields.length; i++) {
    const spec = fields[i]!;
    const val = o[spec.name];
    if (val === undefined || val === null) {
      if (spec.required) return { ok: false, field: spec.name, message: 'missing required field' };
      continue;
    }
    const err = checkField(spec, val);
    if (err) return { ok: false, field: spec.name, message: err };
  }
  if (kind === 'hello') {
    const c = o.clock as Record<string, unknown>;
    if (!Number.isFinite(c.boot_ns) || !Number.isFinite(c.wall_ns)) return { ok: false, field: 'clock', message: 'expected {boot_ns, wall_ns} numbers' };
  }
  return { ok: true, event: o as CollectorEvent };
}

/** Parses and validates one text line; the error names the field. */
export function parseLine(line: string): EventCheck {
  if (line.length > MAX_LINE_BYTES) return { ok: false, field: '(line)', message: `line longer than ${MAX_LINE_BYTES} bytes` };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return { ok: false, field: '(line)', message: `invalid JSON: ${(e as Error).message.slice(0, 120)}` };
  }
  return checkEvent(v);
}

/** Start times are compared at clock-tick resolution (/proc reports ticks; see PROTOCOL.md). */
export const START_TICK_NS = 10_000_000;
export function startKey(startNs: number): number {
  return Math.floor(startNs / START_TICK_NS);
}
