import { useTranslation } from 'react-i18next';
import { LoadStatus, queryLoad } from '../components';
import { Link } from '../router';
import { useCan } from '../session';
import { periodTypeName } from './periods';
import { MonitoringNav, useDataSets, useNumbers } from './shared';

/** `/monitoring`: what the monitoring section does, its data sets, and where to go next. */
export function MonitoringPage() {
  const { t } = useTranslation('monitoring');
  const { num } = useNumbers();
  const canImport = useCan('registry:import');
  const dataSets = useDataSets();
  return (
    <main id="main" tabIndex={-1} className="page page--medium monitoring-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>{t('nav.home')}</h1>
        <p className="lede">{t('monitoring.lede')}</p>
      </div>
      <ul className="hub">
        <li className="hub__item">
          <h2>
            <Link to="/monitoring/entry">{t('nav.entry')}</Link>
          </h2>
          <p>{t('monitoring.entry')}</p>
        </li>
        <li className="hub__item">
          <h2>{canImport ? <Link to="/monitoring/import">{t('nav.import')}</Link> : t('nav.import')}</h2>
          <p>
            {t('monitoring.import')}
            {canImport ? '' : ` ${t('monitoring.importForbidden')}`}
          </p>
        </li>
        <li className="hub__item">
          <h2>
            <Link to="/monitoring/quality">{t('nav.quality')}</Link>
          </h2>
          <p>{t('monitoring.quality')}</p>
        </li>
        <li className="hub__item">
          <h2>
            <Link to="/monitoring/metadata">{t('nav.metadata')}</Link>
          </h2>
          <p>{t('monitoring.metadata')}</p>
        </li>
      </ul>
      <h2>{t('monitoring.dataSets')}</h2>
      {!dataSets.data ? (
        <LoadStatus load={queryLoad(dataSets)} what={t('what.dataSets')} onRetry={() => void dataSets.refetch()} />
      ) : dataSets.data.length === 0 ? (
        <p className="empty">{t('monitoring.noDataSet')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="monitoring-data-sets">
            <thead>
              <tr>
                <th scope="col">{t('pickers.dataSet')}</th>
                <th scope="col">{t('monitoring.reported')}</th>
                <th scope="col" className="num">
                  {t('metadata.dataElements')}
                </th>
                <th scope="col" className="num">
                  {t('metadata.places')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('monitoring.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {dataSets.data.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>{periodTypeName(t, d.periodType)}</td>
                  <td className="num">{num(d.dataElementCount)}</td>
                  <td className="num">{num(d.organisationUnitCount)}</td>
                  <td className="cell-nowrap">
                    <Link to={`/monitoring/entry?dataSet=${encodeURIComponent(d.id)}`}>{t('monitoring.enterData')}</Link> ·{' '}
                    <Link to={`/monitoring/quality?dataSet=${encodeURIComponent(d.id)}`}>{t('nav.quality')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
