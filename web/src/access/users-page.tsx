import { useTranslation } from 'react-i18next';
import { Fragment, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { getJson, itemsOf, sendJson } from '../api';
import { LoadStatus } from '../components';
import { optional, saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';
import { ROLES, roleDescription, roleLabel, roleName, loadSession, scopeLabel, useMe } from '../session';
import type { User } from '../session';
import { useLoad } from '../use-load';
import { FieldMessages, FormSummary, formatDateTime, issuesOnListFields } from './form';

const LABELS: Record<string, string> = {
  email: 'Email',
  name: 'Name',
  role: 'Role',
  scopes: 'Scope',
  password: 'Password',
  disabled: 'Status',
};

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
  return saveErrors(issuesOnListFields(err, ['scopes']), (field) => field in LABELS);
}

const SCOPE_HINT = 'ISO3 codes of countries (e.g. KEN, UGA) or codes of admin areas, separated by commas. Empty: every country (admins only).';

/** `/admin/users` (admins): every account with its role, scope and status; add and change accounts. */
export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [load, retry, replace] = useLoad('users', () => getJson<unknown>('/api/users').then((b) => itemsOf<User>(b)));
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const users = load.state === 'ready' ? load.data : [];

  function changed(user: User, message: string) {
    replace(users.some((u) => u.id === user.id) ? users.map((u) => (u.id === user.id ? user : u)) : [...users, user]);
    setNotice(message);
  }

  return (
    <main id="main" tabIndex={-1} className="page page--medium users-page">
      <div className="page-heading">
        <h1>Users</h1>
        <p className="lede">
          Who may log in to Corridor, with which role, and in which countries (their scope). People see and change data
          only within their scope; admins without a scope act everywhere.
        </p>
      </div>

      {notice ? (
        <p className="notice notice--success" role="status" data-testid="save-notice">
          {notice}
        </p>
      ) : null}

      {load.state !== 'ready' ? (
        <LoadStatus load={load} what="the users" onRetry={retry} />
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="users-table">
            <caption className="visually-hidden">User accounts</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Scope</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <Fragment key={user.id}>
                  <tr data-user-id={user.id} data-email={user.email} data-role={user.role} data-status={user.disabled ? 'disabled' : 'active'}>
                    <th scope="row">
                      {user.email}
                      {user.id === me?.user.id ? <span className="cell-muted"> (you)</span> : null}
                    </th>
                    <td>{user.name}</td>
                    <td data-col="role">{roleLabel(t, user.role)}</td>
                    <td data-col="scopes">{scopeLabel(t, user)}</td>
                    <td data-col="status">
                      <span className={`status-badge status-badge--${user.disabled ? 'closed' : 'active'}`}>
                        {user.disabled ? 'Disabled' : 'Active'}
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
                        Change<span className="visually-hidden"> {user.email}</span>
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
                            changed(saved, message);
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
          <UserCreateForm onCreated={(user) => changed(user, `${user.email} was created as ${roleName(t, user.role)} (${scopeLabel(t, user)}). Give them their password by a safe channel.`)} />
        </section>
        <aside className="panel roles-help" aria-labelledby="roles-title">
          <h2 id="roles-title">Roles</h2>
          <dl>
            {ROLES.map((role) => (
              <div key={role}>
                <dt>{roleLabel(t, role)}</dt>
                <dd>{roleDescription(t, role)}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">Every user may create personal API tokens for scripts and the command line.</p>
        </aside>
      </div>
    </main>
  );
}

function UserCreateForm({ onCreated }: { onCreated(user: User): void }) {
  const { t } = useTranslation();
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
      const user = await sendJson<User>('POST', '/api/users', {
        email: values.email.trim(),
        name: optional(values.name),
        role: values.role,
        scopes: scopesOf(values.scopes),
        password: values.password,
      });
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
    'aria-describedby': [errors?.byField.has(name) ? `${idOf(name)}-error` : '', hinted.has(name) ? `${idOf(name)}-hint` : ''].filter(Boolean).join(' ') || undefined,
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
  });
  const messages = (name: string) => <FieldMessages errors={errors} field={name} label={LABELS[name]!} id={`${idOf(name)}-error`} />;

  return (
    <form className="site-form" data-testid="user-create-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Add a user</h2>
      {errors ? <FormSummary errors={errors} labels={LABELS} idOf={idOf} /> : null}
      <div className="form-grid">
        <div className="form-field">
          <label htmlFor={idOf('email')}>
            Email<span className="form-field__required"> (required)</span>
          </label>
          <input {...field('email')} type="email" autoComplete="off" />
          {messages('email')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('name')}>Name</label>
          <input {...field('name')} type="text" autoComplete="off" />
          <p className="form-field__hint" id={`${idOf('name')}-hint`}>
            Optional; the email when left blank.
          </p>
          {messages('name')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('role')}>
            Role<span className="form-field__required"> (required)</span>
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
          <label htmlFor={idOf('scopes')}>Scope</label>
          <input {...field('scopes')} type="text" placeholder="e.g. KEN, UGA" autoComplete="off" />
          <p className="form-field__hint" id={`${idOf('scopes')}-hint`}>
            {SCOPE_HINT}
          </p>
          {messages('scopes')}
        </div>
        <div className="form-field form-field--wide">
          <label htmlFor={idOf('password')}>
            Password<span className="form-field__required"> (required)</span>
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
              Generate
            </button>
            <label className="checkbox">
              <input type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} /> Show
            </label>
          </div>
          <p className="form-field__hint" id={`${idOf('password')}-hint`}>
            At least 10 characters. Corridor keeps only a hash of it: note it now and give it to the person by a safe channel.
          </p>
          {messages('password')}
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" disabled={saving} data-testid="user-create">
          {saving ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}

function UserEditForm({
  user,
  self,
  onSaved,
  onCancel,
}: {
  user: User;
  self: boolean;
  onSaved(user: User, message: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState({ name: user.name, role: user.role as string, scopes: user.scopes.join(', '), disabled: user.disabled, password: '' });
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Only what changed: a change of scope (even to the same list) ends the user's sessions.
    const change: { name?: string; role?: string; scopes?: string[]; disabled?: boolean; password?: string } = {};
    if (values.name.trim() !== user.name) change.name = values.name.trim();
    if (values.role !== user.role) change.role = values.role;
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
      const saved = await sendJson<User & { revokedTokens: number }>('PATCH', `/api/users/${encodeURIComponent(user.id)}`, change);
      const parts = [
        change.role ? `is now ${roleName(t, saved.role)}` : '',
        change.scopes ? `acts in ${scopeLabel(t, saved)}` : '',
        change.disabled === true ? 'is disabled (cannot log in; their tokens stop working)' : change.disabled === false ? 'is active again' : '',
        change.name !== undefined ? `is named ${saved.name}` : '',
        change.password ? `has a new password (${saved.revokedTokens} API token${saved.revokedTokens === 1 ? '' : 's'} revoked)` : '',
      ].filter(Boolean);
      onSaved(saved, `Saved: ${saved.email} ${parts.join(', ')}.`);
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
  const messages = (name: string) => <FieldMessages errors={errors} field={name} label={LABELS[name]!} id={`${idOf(name)}-error`} />;

  return (
    <form className="site-form user-edit" data-testid="user-edit-form" onSubmit={submit} noValidate aria-label={`Change ${user.email}`}>
      {errors ? <FormSummary errors={errors} labels={LABELS} idOf={idOf} /> : null}
      <div className="form-grid">
        <div className="form-field">
          <label htmlFor={idOf('name')}>Name</label>
          <input id={idOf('name')} name="name" type="text" value={values.name} {...invalid('name')} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} />
          {messages('name')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('role')}>Role</label>
          <select id={idOf('role')} name="role" value={values.role} disabled={self} {...invalid('role')} onChange={(e) => setValues((v) => ({ ...v, role: e.target.value }))}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(t, role)}
              </option>
            ))}
          </select>
          {messages('role')}
        </div>
        <div className="form-field">
          <label htmlFor={idOf('scopes')}>Scope</label>
          <input id={idOf('scopes')} name="scopes" type="text" value={values.scopes} readOnly={self} {...invalid('scopes')} onChange={(e) => setValues((v) => ({ ...v, scopes: e.target.value }))} />
          <p className="form-field__hint">{SCOPE_HINT}</p>
          {messages('scopes')}
        </div>
        <div className="form-field">
          <span className="form-field__label">Status</span>
          <label className="checkbox">
            <input
              type="checkbox"
              name="disabled"
              checked={values.disabled}
              disabled={self}
              onChange={(e) => setValues((v) => ({ ...v, disabled: e.target.checked }))}
            />{' '}
            Disabled: cannot log in; API tokens stop working
          </label>
          {messages('disabled')}
        </div>
        {self ? null : (
          <div className="form-field">
            <label htmlFor={idOf('password')}>New password</label>
            <input
              id={idOf('password')}
              name="password"
              type="password"
              autoComplete="new-password"
              value={values.password}
              {...invalid('password')}
              onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
            />
            <p className="form-field__hint">Leave empty to keep it. A reset ends their sessions and revokes their API tokens.</p>
            {messages('password')}
          </div>
        )}
      </div>
      {self ? (
        <p className="notice notice--warning">
          This is your own account: another admin must change your role, scope or status, and you change your password
          with your current one.
        </p>
      ) : (
        <p className="muted">Changing the role, scope or status ends this user’s sessions.</p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={saving} data-testid="user-save">
          {saving ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="button--secondary" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
