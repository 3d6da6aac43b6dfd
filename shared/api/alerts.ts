import { int, object, oneOf, optional, str } from '../schema';
import { method } from './method';
import type { Severity } from '../alerts';

export interface AlertRow {
  id: number;
  /** Wall-clock microseconds. */
  t: number;
  rule: string;
  severity: Severity;
  title: string;
  message: string;
  /** Process row id (process tree), when known. */
  proc: number | null;
  pid: number | null;
  comm: string | null;
  /** Container id (runtime's), when inside one. */
  cid: string | null;
  /** Event seqs behind the alert, first one first. */
  evidence: number[];
}

export const AlertsArgs = object({
  minSeverity: optional(oneOf(['low', 'medium', 'high', 'critical'] as const)),
  rule: optional(str({ max: 64 })),
  /** Only alerts of this process row. */
  proc: optional(int({ min: 1 })),
  limit: optional(int({ min: 1, max: 5000 })),
});

export const alertMethods = {
  /** Alerts in time order, with the events behind each one. */
  alerts: method<AlertRow[]>()(AlertsArgs),
} as const;
