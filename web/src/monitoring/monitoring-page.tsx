import { LoadStatus } from '../components';
import { Link } from '../router';
import { useCan } from '../session';
import { useLoad } from '../use-load';
import { PERIOD_TYPE_NAMES } from './periods';
import { MonitoringNav, formatNumber, loadDataSets } from './shared';

/** `/monitoring`: what the monitoring section does, its data sets, and where to go next. */
export function MonitoringPage() {
  const canImport = useCan('registry:import');
  const [dataSets, retry] = useLoad('data-sets', loadDataSets);
  return (
    <main id="main" tabIndex={-1} className="page page--medium monitoring-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>Monitoring</h1>
        <p className="lede">
          Routine programme data (tests, diagnoses, treatment, prevention) reported per place and period, in the DHIS2 model:
          enter or import it, check its quality, and approve it.
        </p>
      </div>
      <ul className="hub">
        <li className="hub__item">
          <h2>
            <Link to="/monitoring/entry">Data entry</Link>
          </h2>
          <p>Fill in a data set’s form for a place and period, mark it complete, and approve it (country managers, administrators).</p>
        </li>
        <li className="hub__item">
          <h2>{canImport ? <Link to="/monitoring/import">Import</Link> : 'Import'}</h2>
          <p>
            Load a DHIS2 JSON, CSV or XML file or an ADX file of data values: check it first, then import it.
            {canImport ? '' : ' Your role may not import data.'}
          </p>
        </li>
        <li className="hub__item">
          <h2>
            <Link to="/monitoring/quality">Data quality</Link>
          </h2>
          <p>Completeness and timeliness of reporting, validation rule violations and outlier values, with links to the forms.</p>
        </li>
        <li className="hub__item">
          <h2>
            <Link to="/monitoring/metadata">Metadata</Link>
          </h2>
          <p>The data sets, data elements, disaggregations, WHO indicators and validation rules behind the data.</p>
        </li>
      </ul>
      <h2>Data sets</h2>
      {dataSets.state !== 'ready' ? (
        <LoadStatus load={dataSets} what="the data sets" onRetry={retry} />
      ) : dataSets.data.length === 0 ? (
        <p className="empty">No data set is defined yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="monitoring-data-sets">
            <thead>
              <tr>
                <th scope="col">Data set</th>
                <th scope="col">Reported</th>
                <th scope="col" className="num">
                  Data elements
                </th>
                <th scope="col" className="num">
                  Places
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {dataSets.data.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>{PERIOD_TYPE_NAMES[d.periodType] ?? d.periodType}</td>
                  <td className="num">{formatNumber(d.dataElementCount)}</td>
                  <td className="num">{formatNumber(d.organisationUnitCount)}</td>
                  <td className="cell-nowrap">
                    <Link to={`/monitoring/entry?dataSet=${encodeURIComponent(d.id)}`}>Enter data</Link> ·{' '}
                    <Link to={`/monitoring/quality?dataSet=${encodeURIComponent(d.id)}`}>Data quality</Link>
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
