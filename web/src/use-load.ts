import { useCallback, useEffect, useState } from 'react';
import { messageOf } from './api';

export type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: T };

/**
 * Runs `load` when `key` changes and keeps its latest answer. Requests are not aborted on
 * unmount (an aborted request shows up as a failed one in the browser); late answers are dropped.
 * With `keepPrevious`, the previous answer stays on screen while the next one loads.
 */
export function useLoad<T>(
  key: string | null,
  load: () => Promise<T>,
  { keepPrevious = false }: { keepPrevious?: boolean } = {},
): [Load<T>, () => void, (data: T) => void] {
  const [result, setResult] = useState<{ key: string | null; attempt: number; load: Load<T> }>({
    key: null,
    attempt: -1,
    load: { state: 'loading' },
  });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    load().then(
      (data) => current && setResult({ key, attempt, load: { state: 'ready', data } }),
      (err: unknown) => current && setResult({ key, attempt, load: { state: 'error', message: messageOf(err) } }),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure on every render; `key` says when the request changes.
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((data: T) => setResult((r) => ({ ...r, load: { state: 'ready', data } })), []);
  // While a new key loads, show "loading" rather than the previous key's answer (unless asked to keep it).
  const current = result.key === key && result.attempt === attempt;
  const shown: Load<T> = current || (keepPrevious && result.load.state === 'ready') ? result.load : { state: 'loading' };
  return [shown, retry, replace];
}
