/** Empty and error states say what happened and what to do next. */
export function EmptyState({ title, hint }: { title: string; hint: string }) {
  return (
    <div className="state state-empty" role="status">
      <h2>{title}</h2>
      <p>{hint}</p>
    </div>
  );
}

export function ErrorState({ title, message, hint, onRetry }: { title: string; message: string; hint?: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      <p className="mono">{message}</p>
      {hint && <p>{hint}</p>}
      {onRetry && (
        <button className="btn" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
