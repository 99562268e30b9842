import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { $api, api, data, messageOf } from '../api';
import type { Created, Schema } from '../api';
import { LoadStatus, queryLoad } from '../components';
import { saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';
import { FieldMessages, FormSummary, useDateTime } from './form';

/** A personal API token as `GET /api/tokens` lists it (never the secret). */
type ApiToken = Schema<'ApiToken'>;

/** Answer of `POST /api/tokens` (201): the only time the secret is shown. */
type NewToken = Created<'/api/tokens'>;

/** `/account/tokens`: the user's personal API tokens for scripts and the command line; create, revoke. */
export function TokensPage() {
  const { t } = useTranslation('access');
  // Creating or revoking a token marks this list stale (every write does): it is read again.
  const list = $api.useQuery('get', '/api/tokens');
  const [created, setCreated] = useState<NewToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tokens = list.data?.items ?? [];
  const active = tokens.filter((token) => !token.revokedAt);
  const revoked = tokens.filter((token) => token.revokedAt);

  function onCreated(token: NewToken) {
    setCreated(token);
    setNotice(null);
  }

  function onRevoked(token: ApiToken) {
    if (created?.id === token.id) setCreated(null);
    setNotice(t('tokens.revokedNotice', { name: token.name }));
  }

  return (
    <main id="main" tabIndex={-1} className="page page--medium tokens-page">
      <div className="page-heading">
        <h1>{t('tokens.title')}</h1>
        <p className="lede">
          <Trans t={t} i18nKey="tokens.lede" shouldUnescape components={{ 1: <code />, 3: <code />, 5: <code />, 7: <code /> }} />
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

      <h2>{t('tokens.yours')}</h2>
      {!list.data ? (
        <LoadStatus load={queryLoad(list)} what={t('tokens.what')} onRetry={() => void list.refetch()} />
      ) : tokens.length === 0 ? (
        <p className="empty">{t('tokens.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="tokens-table">
            <caption className="visually-hidden">{t('tokens.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('tokens.actions')}</span>
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
  const { t } = useTranslation('access');
  const formatDateTime = useDateTime();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    setBusy(true);
    setError(null);
    try {
      await api.DELETE('/api/tokens/{id}', { params: { path: { id: token.id } } });
      onRevoked();
    } catch (err) {
      setError(t('tokens.notRevoked', { message: messageOf(err) }));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <tr data-token-id={token.id} data-status={token.revokedAt ? 'revoked' : 'active'}>
      <th scope="row">{token.name}</th>
      <td className="cell-nowrap">{formatDateTime(token.createdAt)}</td>
      <td className="cell-nowrap">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.never')}</td>
      <td>
        {token.revokedAt ? (
          <span className="status-badge status-badge--closed">{t('tokens.revokedAt', { when: formatDateTime(token.revokedAt) })}</span>
        ) : (
          <span className="status-badge status-badge--active">{t('tokens.active')}</span>
        )}
      </td>
      <td className="cell-nowrap">
        {token.revokedAt ? null : confirming ? (
          <span className="confirm" role="group" aria-label={t('tokens.confirmLabel', { name: token.name })}>
            <span>{t('tokens.confirm')}</span>{' '}
            <button type="button" className="button--danger button--small" onClick={() => void revoke()} disabled={busy} data-testid="token-revoke-confirm">
              {busy ? t('tokens.revoking') : t('tokens.yesRevoke')}
            </button>{' '}
            <button type="button" className="button--secondary button--small" onClick={() => setConfirming(false)} disabled={busy}>
              {t('tokens.keep')}
            </button>
          </span>
        ) : (
          <button type="button" className="button--danger button--small" onClick={() => setConfirming(true)} data-testid="token-revoke">
            {t('tokens.revoke')}
            <span className="visually-hidden"> {token.name}</span>
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
  const { t } = useTranslation('access');
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
      const token = await data(api.POST('/api/tokens', { body: { name: name.trim() } }));
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
      <h2 id={`${uid}-title`}>{t('tokens.new')}</h2>
      {errors ? <FormSummary errors={errors} labels={{ name: t('tokens.name') }} idOf={idOf} /> : null}
      <div className="input-row input-row--form">
        <div className="form-field">
          <label htmlFor={idOf('name')}>{t('tokens.name')}</label>
          <input
            id={idOf('name')}
            name="name"
            type="text"
            value={name}
            placeholder={t('tokens.namePlaceholder')}
            aria-invalid={invalid || undefined}
            aria-describedby={`${idOf('name')}-hint${invalid ? ` ${idOf('name')}-error` : ''}`}
            onChange={(e) => setName(e.target.value)}
          />
          <p className="form-field__hint" id={`${idOf('name')}-hint`}>
            {t('tokens.nameHint')}
          </p>
          <FieldMessages errors={errors} field="name" label={t('tokens.name')} id={`${idOf('name')}-error`} />
        </div>
        <button type="submit" disabled={saving} data-testid="token-create">
          {saving ? t('tokens.creating') : t('tokens.create')}
        </button>
      </div>
    </form>
  );
}

/** The secret of a token just created, shown this once with a copy button and a warning. */
function NewTokenBox({ token, onDone }: { token: NewToken; onDone(): void }) {
  const { t } = useTranslation('access');
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
      <h2 id={`${uid}-title`}>{t('tokens.yourNew', { name: token.name })}</h2>
      <p className="new-token__warning">
        <strong>{t('tokens.copyNow')}</strong> {t('tokens.copyWhy')}
      </p>
      <div className="input-row">
        <label htmlFor={`${uid}-value`} className="visually-hidden">
          {t('tokens.token')}
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
          {copied === 'yes' ? t('tokens.copied') : t('tokens.copy')}
        </button>
        <button type="button" className="button--secondary" onClick={onDone}>
          {t('tokens.done')}
        </button>
      </div>
      <p className="muted" role="status">
        {copied === 'yes' ? t('tokens.onClipboard') : copied === 'select' ? t('tokens.selectToCopy') : ''}
      </p>
    </section>
  );
}
