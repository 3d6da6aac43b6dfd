import type { ContainerList, ContainerRow } from '../../../../shared/api/store';
import type { Db } from '../db';

/** Buckets offered when the caller does not choose: enough for a sparkline. */
const DEFAULT_BUCKETS = 120;

interface RawContainer {
  id: number;
  cid: string;
  hostname: string;
  runtime: string | null;
  name: string | null;
  image: string | null;
  pod: string | null;
  namespace: string | null;
  pod_uid: string | null;
  annotations: string | null;
  first_t: number | null;
  last_t: number | null;
  events: number;
  processes: number;
}

function annotationsOf(s: string | null): Record<string, string> {
  if (!s) return {};
  try {
    const v = JSON.parse(s) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
    return out;
  } catch {
    return {};
  }
}

/**
 * Containers with first/last seen and activity per time bucket, from the per-second counts kept
 * at ingest (never a scan of the events).
 */
export function listContainers(db: Db, q: { bucketSeconds?: number; buckets?: number }): ContainerList {
  const rows = db
    .prepare<[], RawContainer>(
      `SELECT c.id, c.cid, n.hostname, c.runtime, c.name, c.image, c.pod, c.namespace, c.pod_uid, c.annotations,
         c.first_t, c.last_t, c.events, (SELECT count(*) FROM processes p WHERE p.container = c.id) AS processes
       FROM containers c JOIN nodes n ON n.id = c.node ORDER BY c.first_t, c.id`,
    )
    .all();
  // from the containers' first/last seen (µs): the activity table is not indexed by time
  const span = db
    .prepare<[], { lo: number | null; hi: number | null }>('SELECT min(first_t) / 1000000 AS lo, max(last_t) / 1000000 AS hi FROM containers')
    .get();
  const lo = span?.lo ?? null;
  const hi = span?.hi ?? null;
  const buckets = q.buckets ?? DEFAULT_BUCKETS;
  const bucketSeconds = q.bucketSeconds ?? (lo === null || hi === null ? 1 : Math.max(1, Math.ceil((hi - lo + 1) / buckets)));
  const from = lo === null ? null : Math.floor(lo / bucketSeconds) * bucketSeconds;
  const n = lo === null || hi === null || from === null ? 0 : Math.min(2000, Math.floor((hi - from) / bucketSeconds) + 1);
  const activity = new Map<number, number[]>();
  if (from !== null && n > 0) {
    const agg = db
      .prepare<[number, number, number, number], { container: number; b: number; events: number }>(
        `SELECT container, (second - ?) / ? AS b, sum(events) AS events FROM container_activity
         WHERE second >= ? AND second < ? GROUP BY container, b`,
      )
      .all(from, bucketSeconds, from, from + n * bucketSeconds);
    for (const a of agg) {
      let arr = activity.get(a.container);
      if (!arr) activity.set(a.container, (arr = new Array<number>(n).fill(0)));
      arr[a.b] = a.events;
    }
  }
  const containers: ContainerRow[] = rows.map((r) => ({
    cid: r.cid,
    node: r.hostname,
    runtime: r.runtime,
    name: r.name,
    image: r.image,
    pod: r.pod,
    namespace: r.namespace,
    podUid: r.pod_uid,
    annotations: annotationsOf(r.annotations),
    firstT: r.first_t,
    lastT: r.last_t,
    events: r.events,
    processes: r.processes,
    activity: activity.get(r.id) ?? new Array<number>(n).fill(0),
  }));
  // bucketsFrom in µs like every other time of the API
  return { containers, bucketsFrom: from === null ? null : from * 1_000_000, bucketSeconds };
}
