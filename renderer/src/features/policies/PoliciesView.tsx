import { EmptyState } from '../../app/states';

/**
 * Policy drafts per workload. The semantic diff (with evidence and accept/ignore), the textual
 * side-by-side diff and the audit list are ready (SemanticDiff, TextDiff, AuditList); this view
 * lists drafts and feeds them once the core serves drafts, diffs, merge, audit and export through
 * shared/api/policy.ts.
 */
export function PoliciesView() {
  return (
    <section className="view-fill">
      <header className="view-header">
        <h1>Policies</h1>
      </header>
      <EmptyState
        title="Policy drafts are not served to the console yet"
        hint="The core builds seccomp, capability and NetworkPolicy drafts, but this build does not expose them to the console. Meanwhile, from a terminal: `tracehound policy` drafts one, `tracehound diff` compares two, `tracehound audit` replays the capture against one (`--help` on each)."
      />
    </section>
  );
}
