/**
 * The event store: overview, events, process trees, containers, captures (import/export) and
 * database information. Times crossing the API are wall-clock microseconds since the epoch
 * (`t`); the collector's own boot-time `ts` stays in each event's data.
 */
import { array, bool, int, object, oneOf, optional, str, type Infer } from '../schema';
import { method } from './method';

const Id = int({ min: 1 });
const Limit = (max: number) => optional(int({ min: 1, max }));
const Time = optional(int({ min: 0 }));

export interface Overview {
  events: number;
  processes: number;
  containers: number;
  /** Network events of op connect or accept. */
  connections: number;
  /** File open events. */
  files: number;
  alerts: number;
  /** Events the collector reported dropped (ring buffer full), all captures. */
  drops: number;
  firstTs: number | null;
  lastTs: number | null;
  nodes: string[];
  /** Events per kind. */
  kinds: Record<string, number>;
  /** Captures still importing. */
  importing: number;
}

/** An opaque keyset cursor ("t:seq"); never an offset, so any depth costs the same. */
const Cursor = str({ max: 48, pattern: /^\d+:\d+$/ });

export const EventFilterArgs = {
  kinds: optional(array(str({ max: 32 }), { max: 32 })),
  /** Container id (the runtime's id, or a unique prefix of it). */
  container: optional(str({ max: 256 })),
  /** Process row id; with `subtree` its descendants too. */
  process: optional(Id),
  subtree: optional(bool()),
  /** Wall-clock µs, inclusive. */
  from: Time,
  /** Wall-clock µs, exclusive. */
  to: Time,
  /** Case-insensitive substring of the event's data (argv, paths, addresses…). */
  text: optional(str({ max: 1024 })),
};

/**
 * Orders the store pages events in, each read along one of its indexes — (t), (kind, t),
 * (container, t), (proc, t) — and keyset-paged on (key, t, seq): time; kind, then time; container
 * (in the order containers were first seen, host events first), then time; process row id, then
 * time. Other columns (pid, command, details) have no index in their order and are not sortable.
 */
export const EVENT_SORTS = ['time', 'kind', 'container', 'process'] as const;
export type EventSort = (typeof EVENT_SORTS)[number];

export const EventsPageArgs = object({
  ...EventFilterArgs,
  /** The order of the rows (time when absent); `desc` reverses it (newest first for time). */
  sort: optional(oneOf(EVENT_SORTS)),
  desc: optional(bool()),
  /** Rows after this cursor, in the order asked for (the next page). */
  after: optional(Cursor),
  /** Rows before this cursor (the previous page). */
  before: optional(Cursor),
  limit: Limit(5000),
  /** Fields of the collector's lines to return with each row (`EventRow.fields`), e.g. path, dport. */
  fields: optional(array(str({ max: 64, pattern: /^[a-z][a-z0-9_]*$/ }), { max: 16 })),
});
export type EventsPageQuery = Infer<typeof EventsPageArgs>;

/**
 * The sorts a filter can be paged in at the same cost at any depth. A sort reads its key's index
 * one group at a time (one kind, one container, one process), with the filter on the same key
 * choosing the groups and a time range bounding each; a filter on another key would leave the
 * index scanning for matches, so that combination is not offered. The text filter is a scan in
 * every order alike. Time is always available.
 */
export function eventSortsFor(q: EventsPageQuery): EventSort[] {
  const kinds = q.kinds !== undefined && q.kinds.length > 0;
  const container = q.container !== undefined;
  const process = q.process !== undefined;
  const range = q.from !== undefined || q.to !== undefined;
  const out: EventSort[] = ['time'];
  if (!container && !process) out.push('kind');
  if (!kinds && !process) out.push('container');
  // every process of the investigation (or of a subtree) is a group: a time range would visit each
  if (!kinds && !container && (!range || (process && !q.subtree))) out.push('process');
  return out;
}

export interface EventRow {
  seq: number;
  /** Wall-clock µs. */
  t: number;
  kind: string;
  pid: number | null;
  /** Process row id (for the process panel), null for node-level lines. */
  process: number | null;
  comm: string | null;
  cid: string | null;
  summary: string;
  /**
   * The fields asked for with `fields`, as text: lists joined by spaces, objects as JSON, each
   * bounded (EVENT_FIELD_MAX); absent from the line → absent here.
   */
  fields?: Record<string, string>;
}
/**
 * Longest value of an event field returned with a row: a cell shows a few dozen characters and the
 * details pane the whole line; 16 fields of hostile 4 KiB paths must not make a page tens of MB.
 */
export const EVENT_FIELD_MAX = 256;
export interface EventsPage {
  rows: EventRow[];
  /** Pass as `after` for the next page; null at the end. */
  next: string | null;
  /** Pass as `before` for the previous page; null at the start. */
  prev: string | null;
}

export interface EventDetail extends EventRow {
  node: string | null;
  /** The line as the collector wrote it, unknown fields included. */
  data: Record<string, unknown>;
}

export interface ProcessRow {
  id: number;
  pid: number;
  ppid: number | null;
  parent: number | null;
  /** proc (running at capture start), fork, seen (only its own events), placeholder (only its children). */
  origin: 'proc' | 'fork' | 'seen' | 'placeholder';
  comm: string | null;
  exe: string | null;
  argv: string[];
  cwd: string | null;
  uid: number | null;
  euid: number | null;
  cid: string | null;
  node: string;
  startNs: number | null;
  firstT: number | null;
  execT: number | null;
  exitT: number | null;
  exitCode: number | null;
  exitSignal: number | null;
  children: number;
}

/** A page of a process subtree walk, in tree order (each process before its descendants). */
export interface ProcessSubtreePage {
  rows: ProcessRow[];
  /** Pass as `after` for the next page; null once the subtree is complete. */
  next: number | null;
}

export interface ProcessDetails {
  process: ProcessRow;
  ancestors: ProcessRow[];
  /** Events of this process per kind. */
  kinds: Record<string, number>;
  /** The first page of its events. */
  events: EventsPage;
}

export interface ProcessSearchHit {
  process: ProcessRow;
  /** Ancestor ids, root first, so a tree can expand down to the hit. */
  path: number[];
}

export interface ContainerRow {
  cid: string;
  node: string;
  runtime: string | null;
  name: string | null;
  image: string | null;
  pod: string | null;
  namespace: string | null;
  podUid: string | null;
  annotations: Record<string, string>;
  firstT: number | null;
  lastT: number | null;
  events: number;
  processes: number;
  /** Events per bucket from `bucketsFrom`, `bucketSeconds` wide. */
  activity: number[];
}
export interface ContainerList {
  containers: ContainerRow[];
  bucketsFrom: number | null;
  bucketSeconds: number;
}

export interface CaptureRow {
  id: number;
  source: string;
  path: string | null;
  node: string | null;
  /** interrupted: left importing by a process that ended (importing the file again resumes it). */
  state: 'importing' | 'complete' | 'truncated' | 'cancelled' | 'failed' | 'interrupted';
  reason: string | null;
  lines: number;
  events: number;
  badLines: number;
  unknownKinds: number;
  drops: number;
  startedAt: number;
  finishedAt: number | null;
}

export interface BadLineRow {
  capture: number;
  line: number;
  field: string;
  message: string;
  excerpt: string;
}

export interface DatabaseInfo {
  path: string;
  sizeBytes: number;
  schemaVersion: number;
  events: number;
  captures: CaptureRow[];
  nodes: Array<{ hostname: string; bootId: string; kernel: string | null; collector: string | null }>;
  /** The first bad lines of every capture (bounded). */
  badLines: BadLineRow[];
}

export const ImportArgs = object({
  path: str({ max: 4096, min: 1 }),
  /** Replay at this multiple of the original pace; absent = as fast as possible. */
  speed: optional(int({ min: 1, max: 1000 })),
});

export const ExportArgs = object({
  path: str({ max: 4096, min: 1 }),
  from: Time,
  to: Time,
  container: optional(str({ max: 256 })),
  process: optional(Id),
  /** Regular expressions replaced in argv, paths and environment (capture groups only, if any). */
  redact: optional(array(str({ max: 512, min: 1 }), { max: 64 })),
});
export type ExportQuery = Infer<typeof ExportArgs>;

export const storeMethods = {
  overview: method<Overview>()(object({})),
  eventsPage: method<EventsPage>()(EventsPageArgs),
  eventDetail: method<EventDetail>()(object({ seq: Id })),
  processRoots: method<ProcessRow[]>()(object({ container: optional(str({ max: 256 })), limit: Limit(10000) })),
  processChildren: method<ProcessRow[]>()(object({ id: Id, limit: Limit(10000) })),
  processAncestors: method<ProcessRow[]>()(object({ id: Id })),
  /** A subtree in tree order, paged: `after` = the previous page's `next`. */
  processSubtree: method<ProcessSubtreePage>()(
    object({ id: Id, maxDepth: optional(int({ min: 1, max: 1000 })), after: optional(Id), limit: Limit(50000) }),
  ),
  processSearch: method<ProcessSearchHit[]>()(object({ text: str({ min: 1, max: 1024 }), limit: Limit(1000) })),
  processDetails: method<ProcessDetails>()(object({ id: Id, limit: Limit(5000) })),
  containers: method<ContainerList>()(
    object({ bucketSeconds: optional(int({ min: 1, max: 86400 })), buckets: optional(int({ min: 1, max: 2000 })) }),
  ),
  importCapture: method<{ job: string }>()(ImportArgs),
  exportCapture: method<{ job: string }>()(ExportArgs),
  databaseInfo: method<DatabaseInfo>()(object({})),
} as const;

