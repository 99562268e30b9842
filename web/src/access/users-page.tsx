import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Fragment, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { $api, api, data } from '../api';
import { LoadStatus, queryLoad } from '../components';
import { optional, saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';
import { ROLES, roleDescription, roleLabel, roleName, loadSession, scopeLabel, useMe } from '../session';
import type { User } from '../session';
import { FieldMessages, FormSummary, issuesOnListFields, useDateTime } from './form';

const FIELDS = ['email', 'name', 'role', 'scopes', 'password', 'disabled'] as const;

/** The form's field labels by the path the server names them with. */
function labelsOf(t: TFunction<'access'>): Record<string, string> {
  return Object.fromEntries(FIELDS.map((f) => [f, t(`users.labels.${f}`)]));
}

/** "KEN, UGA" or "KEN UGA" → ["KEN", "UGA"]. */
function scopesOf(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** A password for a new account: 16 characters without look-alikes (0/O, 1/l/I). */
function randomPassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function errorsOf(err: unknown): SaveErrors {
  return saveErrors(issuesOnListFields(err, ['scopes']), (field) => (FIELDS as readonly string[]).includes(field));
}

/** `/admin/users` (admins): every account with its role, scope and status; add and change accounts. */
export function UsersPage() {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('access');
  const formatDateTime = useDateTime();
  const me = useMe();
  // Every save marks this list stale (as every write does): it is read again.
  const list = $api.useQuery('get', '/api/users');
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const users = list.data?.items ?? [];

  return (
    <main id="main" tabIndex={-1} className="page page--medium users-page">
      <div className="page-heading">
        <h1>{ta('users.title')}</h1>
        <p className="lede">{ta('users.lede')}</p>
      </div>

      {notice ? (
        <p className="notice notice--success" role="status" data-testid="save-notice">
          {notice}
        </p>
      ) : null}

      {!list.data ? (
        <LoadStatus load={queryLoad(list)} what={ta('users.what')} onRetry={() => void list.refetch()} />
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="users-table">
            <caption className="visually-hidden">{ta('users.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{ta('users.labels.email')}</th>
                <th scope="col">{ta('users.labels.name')}</th>
                <th scope="col">{ta('users.labels.role')}</th>
                <th scope="col">{ta('users.labels.scopes')}</th>
                <th scope="col">{ta('users.labels.disabled')}</th>
                <th scope="col">{ta('users.created')}</th>
                <th scope="col">
                  <span className="visually-hidden">{ta('users.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <Fragment key={user.id}>
                  <tr data-user-id={user.id} data-email={user.email} data-role={user.role} data-status={user.disabled ? 'disabled' : 'active'}>
                    <th scope="row">
                      {user.email}
                      {user.id === me?.user.id ? <span className="cell-muted">{ta('users.you')}</span> : null}
                    </th>
                    <td>{user.name}</td>
                    <td data-col="role">{roleLabel(t, user.role)}</td>
                    <td data-col="scopes">{scopeLabel(t, user)}</td>
                    <td data-col="status">
                      <span className={`status-badge status-badge--${user.disabled ? 'closed' : 'active'}`}>
                        {user.disabled ? ta('users.disabled') : ta('users.active')}
                      </span>
                    </td>
                    <td className="cell-nowrap">{formatDateTime(user.createdAt)}</td>
                    <td className="cell-nowrap">
                      <button
                        type="button"
                        className="button--secondary button--small"
                        onClick={() => {
                          setNotice(null);
                          setEditing(editing === user.id ? null : user.id);
                        }}
                        aria-expanded={editing === user.id}
                        data-testid="user-edit"
                      >
                        {ta('users.change')}
                        <span className="visually-hidden"> {user.email}</span>
                      </button>
                    </td>
                  </tr>
                  {editing === user.id ? (
                    <tr className="users-table__edit">
                      <td colSpan={7}>
                        <UserEditForm
                          user={user}
                          self={user.id === me?.user.id}
                          onSaved={(saved, message) => {
                            setEditing(null);
                            setNotice(message);
                            // Changing oneself ends one's own sessions: find out now rather than at the next click.
                            if (saved.id === me?.user.id) void loadSession();
                          }}
                          onCancel={() => setEditing(null)}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="users-layout">
        <section className="panel">
          <UserCreateForm
            onCreated={(user) => setNotice(ta('users.createdNotice', { email: user.email, role: roleName(t, user.role), scope: scopeLabel(t, user) }))}
          />
        </section>
        <aside className="panel roles-help" aria-labelledby="roles-title">
          <h2 id="roles-title">{ta('users.roles')}</h2>
          <dl>
            {ROLES.map((role) => (
              <div key={role}>
                <dt>{roleLabel(t, role)}</dt>
                <dd>{roleDescription(t, role)}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">{ta('users.tokensNote')}</p>
        </aside>
      </div>
    </main>
  );
}

function UserCreateForm({ onCreated }: { onCreated(user: User): void }) {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('access');
  const labels = labelsOf(ta);
  const empty = { email: '', name: '', role: 'viewer', scopes: '', password: '' };
  const [values, setValues] = useState(empty);
  const [showPassword, setShowPassword] = useState(false);
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field}`;
  const set = (field: keyof typeof empty, value: string) => setValues((v) => ({ ...v, [field]: value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setErrors(null);
    try {
      const user = await data(
        api.POST('/api/users', {
          body: {
            email: values.email.trim(),
            name: optional(values.name),
            role: values.role as User['role'],
            scopes: scopesOf(values.scopes),
            password: values.password,
          },
        }),
      );
      setValues(empty);
      setShowPassword(false);
      onCreated(user);
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setSaving(false);
    }
  }

  const hinted = new Set(['name', 'scopes', 'password']);
  const field = (name: keyof typeof empty) => ({
    id: idOf(name),
    name,
    value: values[name],
    'aria-invalid': errors?.byField.has(name) || undefined,
    'aria-describedby':
      [errors?.byField.has(name) ? `${idOf(name)}-error` : '', hinted.has(name) ? `${idOf(name)}-hint` : ''].filter(Boolean).join(' ') || undefined,
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
  });
  const messages = (name: string) => <FieldMessages errors={errors} field={name} label={labels[name]!} id={`${idOf(name)}-error`} />;
  const required = <span className="form-field__required">{ta('form.required')}</span>;

  return (
    <form className="site-form" data-testid="user-create-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>{ta('users.add')}</h2>
      {errors ? <FormSummary errors={errors} labels={labels} idOf={idOf} /> : null}
      <div className="form-grid">
        <div className="form-field">
          <label htmlFor={idOf('email')}>
            {labels.email}
            {required}
          </label>
          <input {...field('email')} type="email" autoComplete="off" />
          {messages('email')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('name')}>{labels.name}</label>
          <input {...field('name')} type="text" autoComplete="off" />
          <p className="form-field__hint" id={`${idOf('name')}-hint`}>
            {ta('users.nameHint')}
          </p>
          {messages('name')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('role')}>
            {labels.role}
            {required}
          </label>
          <select {...field('role')}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(t, role)}
              </option>
            ))}
          </select>
          {messages('role')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('scopes')}>{labels.scopes}</label>
          <input {...field('scopes')} type="text" placeholder={ta('users.scopePlaceholder')} autoComplete="off" />
          <p className="form-field__hint" id={`${idOf('scopes')}-hint`}>
            {ta('users.scopeHint')}
          </p>
          {messages('scopes')}
        </div>
        <div className="form-field form-field--wide">
          <label htmlFor={idOf('password')}>
            {labels.password}
            {required}
          </label>
          <div className="input-row">
            <input {...field('password')} type={showPassword ? 'text' : 'password'} autoComplete="new-password" />
            <button
              type="button"
              className="button--secondary"
              onClick={() => {
                set('password', randomPassword());
                setShowPassword(true);
              }}
            >
              {ta('users.generate')}
            </button>
            <label className="checkbox">
              <input type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} /> {ta('users.show')}
            </label>
          </div>
          <p className="form-field__hint" id={`${idOf('password')}-hint`}>
            {ta('users.passwordHint')}
          </p>
          {messages('password')}
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" disabled={saving} data-testid="user-create">
          {saving ? ta('users.creating') : ta('users.create')}
        </button>
      </div>
    </form>
  );
}

function UserEditForm({ user, self, onSaved, onCancel }: { user: User; self: boolean; onSaved(user: User, message: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('access');
  const labels = labelsOf(ta);
  const [values, setValues] = useState({ name: user.name, role: user.role as string, scopes: user.scopes.join(', '), disabled: user.disabled, password: '' });
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Only what changed: a change of scope (even to the same list) ends the user's sessions.
    const change: { name?: string; role?: User['role']; scopes?: string[]; disabled?: boolean; password?: string } = {};
    if (values.name.trim() !== user.name) change.name = values.name.trim();
    if (values.role !== user.role) change.role = values.role as User['role'];
    const scopes = scopesOf(values.scopes);
    if (scopes.join(',') !== user.scopes.join(',')) change.scopes = scopes;
    if (values.disabled !== user.disabled) change.disabled = values.disabled;
    if (values.password) change.password = values.password;
    if (Object.keys(change).length === 0) {
      onCancel();
      return;
    }
    setSaving(true);
    setErrors(null);
    try {
      const saved = await data(api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, body: change }));
      const parts = [
        change.role ? ta('users.changed.role', { role: roleName(t, saved.role) }) : '',
        change.scopes ? ta('users.changed.scopes', { scope: scopeLabel(t, saved) }) : '',
        change.disabled === true ? ta('users.changed.disabled') : change.disabled === false ? ta('users.changed.enabled') : '',
        change.name !== undefined ? ta('users.changed.name', { name: saved.name }) : '',
        change.password ? ta('users.changed.password', { count: saved.revokedTokens }) : '',
      ].filter(Boolean);
      onSaved(saved, ta('users.changed.saved', { email: saved.email, changes: parts.join(', ') }));
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setSaving(false);
    }
  }

  const invalid = (field: string) => ({
    'aria-invalid': errors?.byField.has(field) || undefined,
    'aria-describedby': errors?.byField.has(field) ? `${idOf(field)}-error` : undefined,
  });
  const messages = (name: string) => <FieldMessages errors={errors} field={name} label={labels[name]!} id={`${idOf(name)}-error`} />;

  return (
    <form className="site-form user-edit" data-testid="user-edit-form" onSubmit={submit} noValidate aria-label={ta('users.changeLabel', { email: user.email })}>
      {errors ? <FormSummary errors={errors} labels={labels} idOf={idOf} /> : null}
      <div className="form-grid">
        <div className="form-field">
          <label htmlFor={idOf('name')}>{labels.name}</label>
          <input
            id={idOf('name')}
            name="name"
            type="text"
            value={values.name}
            {...invalid('name')}
            onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
          />
          {messages('name')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('role')}>{labels.role}</label>
          <select
            id={idOf('role')}
            name="role"
            value={values.role}
            disabled={self}
            {...invalid('role')}
            onChange={(e) => setValues((v) => ({ ...v, role: e.target.value }))}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(t, role)}
              </option>
            ))}
          </select>
          {messages('role')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('scopes')}>{labels.scopes}</label>
          <input
            id={idOf('scopes')}
            name="scopes"
            type="text"
            value={values.scopes}
            readOnly={self}
            {...invalid('scopes')}
            onChange={(e) => setValues((v) => ({ ...v, scopes: e.target.value }))}
          />
          <p className="form-field__hint">{ta('users.scopeHint')}</p>
          {messages('scopes')}
        </div>
        <div className="form-field">
          <span className="form-field__label">{labels.disabled}</span>
          <label className="checkbox">
            <input
              type="checkbox"
              name="disabled"
              checked={values.disabled}
              disabled={self}
              onChange={(e) => setValues((v) => ({ ...v, disabled: e.target.checked }))}
            />{' '}
            {ta('users.disabledLabel')}
          </label>
          {messages('disabled')}
        </div>
        {self ? null : (
          <div className="form-field">
            <label htmlFor={idOf('password')}>{ta('users.newPassword')}</label>
            <input
              id={idOf('password')}
              name="password"
              type="password"
              autoComplete="new-password"
              value={values.password}
              {...invalid('password')}
              onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
            />
            <p className="form-field__hint">{ta('users.newPasswordHint')}</p>
            {messages('password')}
          </div>
        )}
      </div>
      {self ? <p className="notice notice--warning">{ta('users.self')}</p> : <p className="muted">{ta('users.endsSessions')}</p>}
      <div className="form-actions">
        <button type="submit" disabled={saving} data-testid="user-save">
          {saving ? ta('users.saving') : ta('users.save')}
        </button>
        <button type="button" className="button--secondary" onClick={onCancel} disabled={saving}>
          {ta('users.cancel')}
        </button>
      </div>
    </form>
  );
}
