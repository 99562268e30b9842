import { Link } from '../router';

interface Source {
  dataset: string;
  content: string;
  origin: string;
  terms: string;
}

// Mirrors data/SOURCES.md (copied from the shared reference data); keep the two in step.
const SOURCES: Source[] = [
  {
    dataset: 'Country boundaries',
    content:
      'Admin-0 country polygons at 1:50m (241 features, drawn on the map) and 1:110m (177 features), with ISO 3166 alpha-3 and alpha-2 codes added. Northern Cyprus, Somaliland and Kosovo have no ISO alpha-3 code.',
    origin: 'Natural Earth 4.1.0, via the npm package world-atlas 2.0.2 (converted from TopoJSON).',
    terms: 'Natural Earth: public domain. world-atlas packaging: ISC licence.',
  },
  {
    dataset: 'Country codes',
    content: 'ISO 3166 alpha-2 and alpha-3 codes, UN M49 codes, region names and languages.',
    origin: 'datasets/country-codes on GitHub.',
    terms: 'Open Data Commons Public Domain Dedication and License (ODC-PDDL).',
  },
  {
    dataset: 'HIV prevalence, adults 15–49 (%)',
    content: 'Central estimate of the share of people aged 15–49 living with HIV, by country, 1990–2023. Shaded on the map.',
    origin:
      'UNAIDS Global AIDS Update 2024, as exported by Our World in Data: Joint United Nations Programme on HIV/AIDS (2024) – with minor processing by Our World in Data.',
    terms: 'Credit “UNAIDS (2024)”. Our World in Data processing: CC BY 4.0.',
  },
  {
    dataset: 'HIV-related travel restrictions (counts)',
    content:
      'Published counts of countries with HIV-related restrictions on entry, stay and residence, 2008–2021, each with its citation. The reference beside the per-country table that users enter and cite themselves.',
    origin: 'UNAIDS and UNDP press releases; Global Health Action 2013;6:20472.',
    terms: 'Facts with citations.',
  },
  {
    dataset: 'International migrant stock, by destination and origin',
    content:
      'Migrant stock by country of destination × country of origin (ISO3), 1990–2019. The 2019 total is 255.9 million because migrants of unknown origin are not included.',
    origin: 'UN DESA, International Migrant Stock 2019.',
    terms: 'Credit “United Nations, Department of Economic and Social Affairs, Population Division (2019)”.',
  },
  {
    dataset: 'International migrant stock, totals',
    content: 'Migrant stock, total population and migrants’ share of the population by country, 1990–2020.',
    origin: 'UN DESA, International Migrant Stock 2020.',
    terms: 'Credit “United Nations, Department of Economic and Social Affairs, Population Division (2020)”.',
  },
  {
    dataset: 'HIV indicators',
    content: '140 WHO HIV indicators: code, name, definition, numerator, denominator, disaggregations and reference.',
    origin:
      'WHO SMART Guidelines for HIV, from the Consolidated guidelines on person-centred HIV strategic information (World Health Organization, 2022).',
    terms: 'World Health Organization; cite the 2022 consolidated guidelines.',
  },
  {
    dataset: 'HXL hashtags for HIV and mobility',
    content: 'A proposed Humanitarian Exchange Language tagging for site, flow and service exports; each tag marked core or proposed.',
    origin: 'Compiled from the HXL 1.0 hashtag dictionary and Humanitarian Data Exchange practice.',
    terms: 'Facts.',
  },
  {
    dataset: 'DHIS2 sample payloads',
    content: 'Small DHIS2 dataValueSet payloads (JSON and DXF2 XML) used to test import; UIDs from the Sierra Leone demo database.',
    origin: 'dhis2/dhis2-core test resources (dhis-service-dxf2, datavalueset).',
    terms: 'BSD-3-Clause.',
  },
];

/** What Corridor is, and the attribution and licence of every dataset it ships. */
export function AboutPage() {
  return (
    <main id="main" tabIndex={-1} className="page page--narrow about-page" data-testid="about-page">
      <h1>About Corridor</h1>
      <p className="lede">
        Corridor is an open information system for HIV programmes that work with migrants and mobile populations. It
        puts four jobs in one place: <strong>map</strong>, <strong>monitor</strong>, <strong>model</strong> and{' '}
        <strong>decide</strong>.
      </p>
      <p>
        HIV risk concentrates in “spaces of vulnerability”, where mobile people and local communities meet: land border
        posts, ports, mines, construction sites, farm compounds, truck stops and fishing landings. Sexual networks
        stretch from those places back to partners at home and along the journey, linking low- and high-prevalence
        epidemics.
      </p>
      <ul className="jobs">
        <li>
          <strong>Map</strong> the spaces of vulnerability, the corridors that connect them, who passes through, and
          which HIV services exist there.
        </li>
        <li>
          <strong>Monitor</strong> programmes with one agreed, migrant-disaggregated monitoring and evaluation system
          that works with DHIS2, so that migrants’ testing, treatment and viral suppression can be compared with the
          host population’s.
        </li>
        <li>
          <strong>Model</strong> HIV transmission across the mobility network: which migrant groups, in which settings,
          carry which risk, and how infections bridge to partners at home.
        </li>
        <li>
          <strong>Decide</strong> between combination-prevention packages by infections averted and cost, and hand a
          country brief to decision makers.
        </li>
      </ul>
      <p>
        Corridor stores aggregates, not personal data. Its source code is open (MIT licence), and everything the browser
        shows comes from Corridor’s public HTTP API, so the same data can be reached from scripts and the command line.
        The app works offline: maps are drawn from bundled boundaries, with no tile server or online fonts.
      </p>

      <h2 id="data-sources">Data sources</h2>
      <p>
        Corridor ships the following public datasets. Attributions and licences are also listed in{' '}
        <code>data/SOURCES.md</code> in the source distribution.
      </p>
      <div className="table-scroll">
        <table className="sources">
          <caption className="visually-hidden">Bundled datasets, their origin and licence</caption>
          <thead>
            <tr>
              <th scope="col">Dataset</th>
              <th scope="col">What it contains</th>
              <th scope="col">Source</th>
              <th scope="col">Licence / terms</th>
            </tr>
          </thead>
          <tbody>
            {SOURCES.map((s) => (
              <tr key={s.dataset}>
                <th scope="row">{s.dataset}</th>
                <td>{s.content}</td>
                <td>{s.origin}</td>
                <td>{s.terms}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Boundaries and names</h2>
      <p className="notice">
        The boundaries and names shown on Corridor’s maps, and the designations used, do not imply any opinion
        whatsoever on the legal status of any country, territory, city or area or of its authorities, or concerning
        the delimitation of its frontiers or boundaries.
      </p>

      <h2>Reading the prevalence map</h2>
      <p>
        The <Link to="/">map</Link> shades each country by the UNAIDS central estimate of HIV prevalence among adults
        aged 15–49 in the selected year, in eight classes from below 0.1 % to 20 % and above; each class includes its
        lower bound. Values below 0.1 % are shown as “&lt;0.1 %”, following UNAIDS practice. Countries and territories
        without an estimate for that year are shown as “No data”: this usually means that UNAIDS does not publish an
        estimate, not that there is no HIV. Estimates carry uncertainty ranges that the map does not show.
      </p>

      <h2>Gaps in open data</h2>
      <p>
        No open, machine-readable per-country table of HIV-related travel restrictions exists, so Corridor lets users
        enter and cite them. Locations of border crossing points are not openly published either; the demo enters the
        few it needs by hand, from public place names and coordinates. Anything illustrative in the demo is labelled as
        such.
      </p>
    </main>
  );
}
