import { useEffect, useRef, useState } from 'react';
import type { SessionPrompt } from '../../../../shared/api';
import { api } from '../../api/client';
import { Inert } from '../../ui/Inert';

/**
 * Questions only the responder can answer while connecting: trust a host key on first use,
 * a key passphrase, a sudo password. Secrets go straight to the core and are not kept here.
 */
export function PromptDialog({ prompt, onDone }: { prompt: SessionPrompt; onDone(): void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), [prompt.prompt]);
  const answer = async (a: { trust?: 'once' | 'always' | 'reject'; secret?: string; cancel?: boolean }) => {
    const r = await api.call('answerPrompt', { prompt: prompt.prompt, ...a });
    setSecret('');
    if (!r.ok) return setError(r.error.message);
    onDone();
  };
  return (
    <div className="modal-back">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="prompt-title" onKeyDown={(e) => e.key === 'Escape' && void answer({ cancel: true })}>
        {prompt.kind === 'hostKey' ? (
          <>
            <h2 id="prompt-title">Trust this host key?</h2>
            <p>
              First connection to <Inert text={prompt.host} /> (<Inert text={prompt.node} />). Compare the fingerprint with the one the node's
              owner gives you before trusting it.
            </p>
            <p className="mono fingerprint">
              {prompt.keyType} <Inert text={prompt.fingerprint} />
            </p>
            <p className="muted">
              <Inert text={prompt.message} />
            </p>
            <div className="modal-actions">
              <button ref={first} type="button" className="btn" onClick={() => void answer({ trust: 'reject' })}>
                Reject
              </button>
              <button type="button" className="btn" onClick={() => void answer({ trust: 'once' })}>
                Trust once
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void answer({ trust: 'always' })}>
                Trust and remember
              </button>
            </div>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void answer({ secret });
            }}
          >
            <h2 id="prompt-title">{prompt.kind === 'passphrase' ? 'Key passphrase' : 'sudo password'}</h2>
            <p>
              {prompt.kind === 'passphrase' ? (
                <>
                  The key <Inert text={prompt.keyFile} /> is encrypted.
                </>
              ) : (
                <>
                  <Inert text={prompt.user} /> needs sudo on <Inert text={prompt.node} /> to run the collector as root.
                </>
              )}{' '}
              {prompt.retry && <strong className="error-text">The previous answer was refused.</strong>}
            </p>
            <p className="muted">
              <Inert text={prompt.message} />
            </p>
            <input
              ref={first}
              type="password"
              autoComplete="off"
              aria-label={prompt.kind === 'passphrase' ? 'Passphrase' : 'Password'}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
            <div className="modal-actions">
              <button type="button" className="btn" onClick={() => void answer({ cancel: true })}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary">
                Continue
              </button>
            </div>
          </form>
        )}
        {error && <p className="error-text">{error}</p>}
      </div>
    </div>
  );
}
