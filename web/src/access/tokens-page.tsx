import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { getJson, itemsOf, messageOf, sendJson } from '../api';
import { LoadStatus } from '../components';
import { saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';
import { useMe } from '../session';
import { useLoad } from '../use-load';
import { FieldMessages, FormSummary, formatDateTime } from './form';

/** A personal API token as `GET /api/tokens` lists it (never the secret). */
interface ApiToken {
  id: string;
  userId: string;
  email: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Answer of `POST /api/tokens`: the only time the secret is shown. */
interface NewToken {
  id: string;
  token: string;
  email: string;
  name: string;
}

/** `/account/tokens`: the user's personal API tokens for scripts and the command line; create, revoke. */
export function TokensPage() {
  const me = useMe();
  const [load, retry, replace] = useLoad('tokens', () => getJson<unknown>('/api/tokens').then((b) => itemsOf<ApiToken>(b)));
  const [created, setCreated] = useState<NewToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tokens = load.state === 'ready' ? load.data : [];
  const active = tokens.filter((t) => !t.revokedAt);
  const revoked = tokens.filter((t) => t.revokedAt);

  function onCreated(token: NewToken) {
    setCreated(token);
    setNotice(null);
    const now = new Date().toISOString();
    replace([{ id: token.id, userId: me?.user.id ?? '', email: token.email, name: token.name, createdAt: now, lastUsedAt: null, revokedAt: null }, ...tokens]);
  }

  function onRevoked(token: ApiToken) {
    replace(tokens.map((t) => (t.id === token.id ? { ...t, revokedAt: new Date().toISOString() } : t)));
    if (created?.id === token.id) setCreated(null);
    setNotice(`The token “${token.name}” was revoked: it no longer works.`);
  }

  return (
    <main id="main" tabIndex={-1} className="page page--medium tokens-page">
      <div className="page-heading">
        <h1>API tokens</h1>
        <p className="lede">
          Personal tokens let scripts and the <code>corridor</code> command line use the API as you, with your role and
          scope. Send one as the header <code>Authorization: Bearer &lt;token&gt;</code>, or give it to the command line as{' '}
          <code>CORRIDOR_TOKEN</code> with <code>--server</code>. Revoke a token you no longer use or that may have leaked.
        </p>
      </div>

      {created ? <NewTokenBox token={created} onDone={() => setCreated(null)} /> : null}
      {notice ? (
        <p className="notice notice--success" role="status" data-testid="save-notice">
          {notice}
        </p>
      ) : null}

      <section className="panel">
        <TokenCreateForm onCreated={onCreated} />
      </section>

      <h2>Your tokens</h2>
      {load.state !== 'ready' ? (
        <LoadStatus load={load} what="your tokens" onRetry={retry} />
      ) : tokens.length === 0 ? (
        <p className="empty">You have no API tokens yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="tokens-table">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...active, ...revoked].map((token) => (
                <TokenRow key={token.id} token={token} onRevoked={() => onRevoked(token)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

function TokenRow({ token, onRevoked }: { token: ApiToken; onRevoked(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    setBusy(true);
    setError(null);
    try {
      await sendJson<void>('DELETE', `/api/tokens/${encodeURIComponent(token.id)}`);
      onRevoked();
    } catch (err) {
      setError(`Not revoked: ${messageOf(err)}`);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <tr data-token-id={token.id} data-status={token.revokedAt ? 'revoked' : 'active'}>
      <th scope="row">{token.name}</th>
      <td className="cell-nowrap">{formatDateTime(token.createdAt)}</td>
      <td className="cell-nowrap">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
      <td>
        {token.revokedAt ? (
          <span className="status-badge status-badge--closed">Revoked {formatDateTime(token.revokedAt)}</span>
        ) : (
          <span className="status-badge status-badge--active">Active</span>
        )}
      </td>
      <td className="cell-nowrap">
        {token.revokedAt ? null : confirming ? (
          <span className="confirm" role="group" aria-label={`Revoke ${token.name}?`}>
            <span>Revoke for good?</span>{' '}
            <button type="button" className="button--danger button--small" onClick={() => void revoke()} disabled={busy} data-testid="token-revoke-confirm">
              {busy ? 'Revoking…' : 'Yes, revoke'}
            </button>{' '}
            <button type="button" className="button--secondary button--small" onClick={() => setConfirming(false)} disabled={busy}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button--danger button--small" onClick={() => setConfirming(true)} data-testid="token-revoke">
            Revoke<span className="visually-hidden"> {token.name}</span>
          </button>
        )}
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function TokenCreateForm({ onCreated }: { onCreated(token: NewToken): void }) {
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setErrors(null);
    try {
      const token = await sendJson<NewToken>('POST', '/api/tokens', { name: name.trim() });
      setName('');
      onCreated(token);
    } catch (err) {
      setErrors(saveErrors(err, (field) => field === 'name'));
    } finally {
      setSaving(false);
    }
  }

  const invalid = errors?.byField.has('name') ?? false;
  return (
    <form className="site-form" data-testid="token-create-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>New token</h2>
      {errors ? <FormSummary errors={errors} labels={{ name: 'Name' }} idOf={idOf} /> : null}
      <div className="input-row input-row--form">
        <div className="form-field">
          <label htmlFor={idOf('name')}>Name</label>
          <input
            id={idOf('name')}
            name="name"
            type="text"
            value={name}
            placeholder="e.g. monthly import script"
            aria-invalid={invalid || undefined}
            aria-describedby={`${idOf('name')}-hint${invalid ? ` ${idOf('name')}-error` : ''}`}
            onChange={(e) => setName(e.target.value)}
          />
          <p className="form-field__hint" id={`${idOf('name')}-hint`}>
            What the token is for, so that you know which to revoke later.
          </p>
          <FieldMessages errors={errors} field="name" label="Name" id={`${idOf('name')}-error`} />
        </div>
        <button type="submit" disabled={saving} data-testid="token-create">
          {saving ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

/** The secret of a token just created, shown this once with a copy button and a warning. */
function NewTokenBox({ token, onDone }: { token: NewToken; onDone(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const uid = useId();
  // Focus (and select) the token, so that it is announced and ready to copy.
  useEffect(() => input.current?.focus(), [token.id]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      // No clipboard access (e.g. plain http on another machine): select it for the user to copy.
      input.current?.select();
      setCopied('select');
    }
  }

  return (
    <section className="new-token" aria-labelledby={`${uid}-title`} data-testid="new-token">
      <h2 id={`${uid}-title`}>Your new token “{token.name}”</h2>
      <p className="new-token__warning">
        <strong>Copy it now: it is shown only this once.</strong> Corridor keeps only a hash of it, so nobody can show it
        to you again. Keep it as safely as a password; if you lose it, revoke it and create another.
      </p>
      <div className="input-row">
        <label htmlFor={`${uid}-value`} className="visually-hidden">
          Token
        </label>
        <input
          ref={input}
          id={`${uid}-value`}
          className="new-token__value"
          type="text"
          readOnly
          value={token.token}
          onFocus={(e) => e.target.select()}
          data-testid="new-token-value"
        />
        <button type="button" onClick={() => void copy()} data-testid="copy-token">
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button--secondary" onClick={onDone}>
          I have copied it
        </button>
      </div>
      <p className="muted" role="status">
        {copied === 'yes' ? 'The token is on your clipboard.' : copied === 'select' ? 'The browser does not allow copying here: the token is selected, press Ctrl+C (⌘C on a Mac).' : ''}
      </p>
    </section>
  );
}
