import { create } from 'zustand';
import type { Decision } from './SemanticDiff';

type Decisions = Record<string, Decision>;

interface DecisionState {
  /** The draft the decisions belong to (its arguments); other drafts start undecided. */
  key: string;
  decisions: Decisions;
  update(key: string, next: Decisions | ((d: Decisions) => Decisions)): void;
}

/**
 * Accept/ignore decisions outlive a switch to another view (a reviewer follows a rule's evidence
 * into Events and comes back to export).
 */
export const useDecisions = create<DecisionState>((set) => ({
  key: '',
  decisions: {},
  update: (key, next) =>
    set((s) => {
      const current = s.key === key ? s.decisions : {};
      return { key, decisions: typeof next === 'function' ? next(current) : next };
    }),
}));
