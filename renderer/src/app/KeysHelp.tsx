import { useEffect } from 'react';

const KEYS: [string, string][] = [
  ['Alt+1 … Alt+7', 'switch views (Start, Overview, Processes, Containers, Events, Network, Policies)'],
  ['?', 'this list'],
  ['/', 'Events: focus the filter'],
  ['Alt+Shift+E N F C X M', 'Events: quick filters Exec, Network, Files, Credentials, Exit, Mount'],
  ['↑ ↓ PgUp PgDn Home End', 'Events: move the selected row; Enter opens its details'],
  ['↑ ↓', 'Process tree: move'],
  ['→ ←', 'Process tree: expand / collapse, or go to the parent'],
  ['Enter, Shift+Enter', 'Process tree find: next / previous match (expands what hides it)'],
  ['Esc', 'close a dialog'],
];

export function KeysHelp({ onClose }: { onClose(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-back" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard</h2>
        <table className="mini">
          <tbody>
            {KEYS.map(([k, what]) => (
              <tr key={k}>
                <td className="mono nowrap">{k}</td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
