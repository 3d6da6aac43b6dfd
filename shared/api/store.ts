import { int, object, optional, str, type Infer } from '../schema';
import { method } from './method';

export interface Overview {
  events: number;
  processes: number;
  containers: number;
  connections: number;
  files: number;
  alerts: number;
  drops: number;
  firstTs: number | null;
  lastTs: number | null;
  nodes: string[];
}

export const ImportArgs = object({ path: str({ max: 4096, min: 1 }) });

export const EventsPageArgs = object({
  kind: optional(str({ max: 32 })),
  text: optional(str({ max: 1024 })),
  /** Keyset paging: rows after this sequence number (exclusive). */
  after: optional(int({ min: 0 })),
  limit: optional(int({ min: 1, max: 5000 })),
});
export type EventsPageQuery = Infer<typeof EventsPageArgs>;

export interface EventRow {
  seq: number;
  ts: number;
  kind: string;
  pid: number | null;
  comm: string | null;
  cid: string | null;
  summary: string;
}
export interface EventsPage {
  rows: EventRow[];
  /** Pass as `after` for the next page; null at the end. */
  next: number | null;
}

export const storeMethods = {
  overview: method<Overview>()(object({})),
  eventsPage: method<EventsPage>()(EventsPageArgs),
  importCapture: method<{ job: string }>()(ImportArgs),
} as const;
