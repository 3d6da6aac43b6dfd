/**
 * Linked selection: what the responder picked in one view (a process, a container, a time range,
 * an event, a policy rule) is visible to every other view, which filters or highlights by it.
 */
import { create } from 'zustand';

/** A process by its store id, with what is needed to name it without a query. */
export interface ProcessRef {
  id: number;
  pid: number;
  comm: string;
}

/** Wall-clock microseconds, inclusive bounds. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface SelectionState {
  process: ProcessRef | null;
  /** Restrict to the selected process and its descendants (events filter). */
  subtree: boolean;
  container: string | null;
  range: TimeRange | null;
  event: number | null;
  /** An event another view asked the events view to open (evidence, markers). */
  reveal: number | null;
  rule: string | null;
  selectProcess(p: ProcessRef | null, subtree?: boolean): void;
  selectContainer(cid: string | null): void;
  selectRange(r: TimeRange | null): void;
  selectEvent(seq: number | null): void;
  /** Selects an event and asks the events view to open its details. */
  revealEvent(seq: number): void;
  consumeReveal(): void;
  selectRule(id: string | null): void;
  clear(): void;
}

export const useSelection = create<SelectionState>((set) => ({
  process: null,
  subtree: false,
  container: null,
  range: null,
  event: null,
  reveal: null,
  rule: null,
  selectProcess: (process, subtree = false) => set({ process, subtree: process ? subtree : false }),
  selectContainer: (container) => set({ container }),
  selectRange: (range) => set({ range }),
  selectEvent: (event) => set({ event }),
  revealEvent: (seq) => set({ event: seq, reveal: seq }),
  consumeReveal: () => set({ reveal: null }),
  selectRule: (rule) => set({ rule }),
  clear: () => set({ process: null, subtree: false, container: null, range: null, event: null, reveal: null, rule: null }),
}));
