import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { $api, api, messageOf } from '../api';
import type { Schema } from '../api';
import { IllustrativeBadge, LoadStatus, RecordUnavailable, queryLoad } from '../components';
import { useFormat } from '../i18n/format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { CorridorForm } from './corridor-form';
import { CorridorFlows } from './flows';
import { usePlaceChoices } from './shared';

/** `/corridors`: the routes mobile people travel, each with its ordered places. */
export function CorridorsPage() {
  const { t } = useTranslation('corridors');
  const f = useFormat();
  const canWrite = useCan('registry:write');
  const corridors = $api.useQuery('get', '/api/corridors', { params: { query: { limit: 1000 } } });
  const items = corridors.data && 'items' in corridors.data ? corridors.data.items : null;
  return (
    <main id="main" tabIndex={-1} className="page corridors-page">
      <div className="page-heading page-heading--actions">
        <div>
          <h1>{t('list.title')}</h1>
          <p className="lede">{t('list.lede')}</p>
        </div>
        {canWrite ? (
          <Link to="/corridors/new" className="button-link" data-testid="corridor-new">
            {t('list.new')}
          </Link>
        ) : null}
      </div>
      {!items ? (
        <LoadStatus load={queryLoad(corridors)} what={t('what.corridors')} onRetry={() => void corridors.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty">{t('list.none')}</p>
      ) : (
        <>
          <p className="list-summary" role="status">
            {t('list.summary', { count: items.length })}
          </p>
          <div className="table-scroll">
            <table className="data-table" data-testid="corridors-table">
              <caption className="visually-hidden">{t('list.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('list.name')}</th>
                  <th scope="col">{t('list.code')}</th>
                  <th scope="col">{t('list.route')}</th>
                  <th scope="col" className="num">
                    {t('list.places')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} data-corridor-id={c.id} data-code={c.code}>
                    <th scope="row">
                      <Link to={`/corridors/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                      {c.illustrative ? (
                        <>
                          {' '}
                          <IllustrativeBadge what={t('illustrative')} />
                        </>
                      ) : null}
                    </th>
                    <td>
                      <code>{c.code}</code>
                    </td>
                    <td>{c.places.map((p) => p.name).join(' → ')}</td>
                    <td className="num">{f.number(c.places.length)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </main>
  );
}

/** `/corridors/new`: the form for a new corridor; after saving, its page. */
export function NewCorridorPage() {
  const { t } = useTranslation('corridors');
  const { choices, sites, countries } = usePlaceChoices();
  return (
    <main id="main" tabIndex={-1} className="page page--medium">
      <p className="breadcrumb">
        <Link to="/corridors">{t('page.breadcrumb')}</Link>
      </p>
      <section className="panel">
        {sites.data && countries.data ? (
          <CorridorForm
            corridor={null}
            choices={choices}
            onSaved={(c) => navigate(`/corridors/${encodeURIComponent(c.id)}`)}
            onCancel={() => navigate('/corridors')}
          />
        ) : (
          <LoadStatus
            load={queryLoad(sites.data ? countries : sites)}
            what={t('what.places')}
            onRetry={() => void (sites.data ? countries : sites).refetch()}
          />
        )}
      </section>
    </main>
  );
}

/** `/corridors/:id`: a corridor's route, its flows of people, and (for editors) forms to change both. */
export function CorridorPage({ id }: { id: string }) {
  const { t } = useTranslation('corridors');
  const canWrite = useCan('registry:write');
  const corridorQ = $api.useQuery('get', '/api/corridors/{id}', { params: { path: { id } } });
  const corridor = corridorQ.data ?? null;
  const flowsQ = $api.useQuery('get', '/api/flows', { params: { query: { corridor: corridor?.code ?? '', limit: 5000 } } }, { enabled: Boolean(corridor) });
  const { choices, sites, countries } = usePlaceChoices();
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const siteIds = new Set(choices.filter((c) => c.kind === 'site').map((c) => c.id));

  useEffect(() => {
    if (corridor) document.title = t('page.pageTitle', { name: corridor.name });
  }, [corridor, t]);

  async function remove() {
    if (!corridor || !window.confirm(t('page.confirmDelete', { name: corridor.name }))) return;
    try {
      await api.DELETE('/api/corridors/{id}', { params: { path: { id: corridor.id } } });
      navigate('/corridors');
    } catch (err) {
      setNotice({ ok: false, text: t('page.notDeleted', { message: messageOf(err) }) });
    }
  }

  if (!corridor) {
    return (
      <RecordUnavailable
        query={corridorQ}
        list={{ to: '/corridors', label: t('page.breadcrumb') }}
        title={t('page.notFound')}
        text={<Trans t={t} i18nKey="page.notFoundText" values={{ id }} components={{ 1: <code />, 3: <Link to="/corridors">{null}</Link> }} />}
        what={t('what.corridor')}
      />
    );
  }

  // (Without aggregate=route the answer is a page of flow records.)
  const flows = flowsQ.data ? flowsQ.data.items.filter((x): x is Schema<'Flow'> => 'periodStart' in x) : null;
  return (
    <main id="main" tabIndex={-1} className="page page--medium corridor-page" data-testid="corridor-page" data-corridor-id={corridor.id}>
      <p className="breadcrumb">
        <Link to="/corridors">{t('page.breadcrumb')}</Link> <span aria-hidden="true">›</span> {corridor.name}
      </p>
      <h1 data-testid="corridor-name">
        {corridor.name} {corridor.illustrative ? <IllustrativeBadge what={t('illustrative')} /> : null}
      </h1>
      <p className="profile-header__sub">
        <code>{corridor.code}</code>
      </p>
      {corridor.description ? <p className="profile-notes">{corridor.description}</p> : null}
      {notice ? (
        <p className={notice.ok ? 'notice notice--success' : 'notice notice--warning'} role={notice.ok ? 'status' : 'alert'} data-testid="save-notice">
          {notice.text}
        </p>
      ) : null}

      {editing ? (
        <section className="panel">
          {sites.data && countries.data ? (
            <CorridorForm
              corridor={corridor}
              choices={choices}
              onSaved={() => {
                setEditing(false);
                setNotice({ ok: true, text: t('page.saved') });
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <LoadStatus
              load={queryLoad(sites.data ? countries : sites)}
              what={t('what.places')}
              onRetry={() => void (sites.data ? countries : sites).refetch()}
            />
          )}
        </section>
      ) : (
        <section className="profile-section" aria-labelledby="route-title">
          <h2 id="route-title">{t('page.route')}</h2>
          <p className="muted">{t('page.stops', { count: corridor.places.length })}</p>
          <ol className="route" data-testid="corridor-route">
            {corridor.places.map((p, i) => (
              <li key={`${p.id}-${i}`} data-code={p.code ?? ''}>
                {siteIds.has(p.id) ? <Link to={`/sites/${encodeURIComponent(p.id)}`}>{p.name}</Link> : p.name} {p.code ? <code>{p.code}</code> : null}
              </li>
            ))}
          </ol>
          <p className="profile-actions">
            {canWrite ? (
              <>
                <button
                  type="button"
                  onClick={() => {
                    setNotice(null);
                    setEditing(true);
                  }}
                  data-testid="corridor-edit"
                >
                  {t('page.edit')}
                </button>
                <button type="button" className="button--danger" onClick={() => void remove()} data-testid="corridor-delete">
                  {t('page.delete')}
                </button>
              </>
            ) : (
              <span className="muted" data-testid="read-only">
                {t('page.readOnly')}
              </span>
            )}
          </p>
        </section>
      )}

      <section className="profile-section" aria-labelledby="flows-title">
        <h2 id="flows-title">{t('flows.title')}</h2>
        <p className="muted">{t('flows.lede')}</p>
        {flows ? (
          <CorridorFlows corridor={corridor} flows={flows} canWrite={canWrite} onChanged={() => void flowsQ.refetch()} />
        ) : (
          <LoadStatus load={queryLoad(flowsQ)} what={t('what.flows')} onRetry={() => void flowsQ.refetch()} />
        )}
      </section>
    </main>
  );
}
