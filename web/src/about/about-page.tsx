import { Trans, useTranslation } from 'react-i18next';
import { Link } from '../router';

// Mirrors data/SOURCES.md (copied from the shared reference data); keep the two in step. The texts
// are in the `about` catalogue, under `sources.<key>`.
const SOURCES = ['boundaries', 'codes', 'prevalence', 'restrictions', 'migrantOrigin', 'migrantTotals', 'indicators', 'hxl', 'dhis2'] as const;
const JOBS = ['map', 'monitor', 'model', 'decide'] as const;

/** What Corridor is, and the attribution and licence of every dataset it ships. */
export function AboutPage() {
  const { t } = useTranslation('about');
  const strong = { strong: <strong /> };
  return (
    <main id="main" tabIndex={-1} className="page page--narrow about-page" data-testid="about-page">
      <h1>{t('title')}</h1>
      <p className="lede">
        <Trans t={t} i18nKey="lede" components={strong} />
      </p>
      <p>{t('spaces')}</p>
      <ul className="jobs">
        {JOBS.map((job) => (
          <li key={job}>
            <Trans t={t} i18nKey={`jobs.${job}`} components={strong} />
          </li>
        ))}
      </ul>
      <p>{t('open')}</p>

      <h2 id="data-sources">{t('sourcesTitle')}</h2>
      <p>
        <Trans t={t} i18nKey="sourcesIntro" components={{ code: <code /> }} />
      </p>
      <div className="table-scroll">
        <table className="sources">
          <caption className="visually-hidden">{t('table.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('table.dataset')}</th>
              <th scope="col">{t('table.content')}</th>
              <th scope="col">{t('table.origin')}</th>
              <th scope="col">{t('table.terms')}</th>
            </tr>
          </thead>
          <tbody>
            {SOURCES.map((s) => (
              <tr key={s}>
                <th scope="row">{t(`sources.${s}.dataset`)}</th>
                <td>{t(`sources.${s}.content`)}</td>
                <td>{t(`sources.${s}.origin`)}</td>
                <td>{t(`sources.${s}.terms`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('boundariesTitle')}</h2>
      <p className="notice">{t('boundaries')}</p>

      <h2>{t('readingTitle')}</h2>
      <p>
        <Trans t={t} i18nKey="reading" components={{ map: <Link to="/">{null}</Link> }} shouldUnescape />
      </p>

      <h2>{t('gapsTitle')}</h2>
      <p>{t('gaps')}</p>
    </main>
  );
}
