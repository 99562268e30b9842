import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schema } from '../api';
import { IllustrativeBadge, SiteSymbol } from '../components';
import { formatCount, useFormat } from '../i18n/format';
import { FLOW_COLOR, corridorColor, flowWidth, roundNice } from './registry-layers';

export type LayerKey = 'sites' | 'corridors' | 'flows';

interface TypeCount {
  code: string;
  name: string;
  count: number;
}

interface LayerState {
  state: 'loading' | 'error' | 'ready';
  message?: string;
}

export interface LayerPanelProps {
  layers: Record<LayerKey, boolean>;
  onToggleLayer(layer: LayerKey, on: boolean): void;
  status: Record<LayerKey, LayerState>;
  onRetry(layer: LayerKey): void;
  types: TypeCount[];
  hiddenTypes: ReadonlySet<string>;
  onToggleType(code: string, shown: boolean): void;
  onShowAllTypes(shown: boolean): void;
  shownSites: number;
  countries: TypeCount[];
  country: string;
  onCountry(code: string): void;
  corridors: Schema<'Corridor'>[];
  routeCount: number;
  maxFlow: number;
  flowPeriods: string[];
  /** Whether any site / flow shown is illustrative. */
  illustrativeSites: boolean;
  illustrativeFlows: boolean;
  flowPeriod: string;
  onFlowPeriod(period: string): void;
}

/** Layer switches, filters and legends of the registry layers. */
export function LayerPanel(props: LayerPanelProps) {
  const { t } = useTranslation('map');
  const f = useFormat();
  const { layers, status } = props;
  const illustrativeCorridors = props.corridors.filter((c) => c.illustrative).length;
  // One badge on the layer when every corridor is illustrative; otherwise one per corridor.
  const allCorridorsIllustrative = illustrativeCorridors > 0 && illustrativeCorridors === props.corridors.length;
  return (
    <section className="panel layer-panel" aria-labelledby="layers-title" data-testid="layer-panel">
      <h2 id="layers-title">{t('layers.title')}</h2>

      <LayerHeading layer="sites" label={t('layers.sites')} badge={props.illustrativeSites ? t('layers.theseSites') : null} {...props}>
        {status.sites.state === 'ready' ? (
          <span className="layer__count">{t('layers.shown', { count: props.shownSites, n: f.number(props.shownSites) })}</span>
        ) : null}
      </LayerHeading>
      {layers.sites && status.sites.state === 'ready' ? (
        <div className="layer__body">
          <div className="field field--inline">
            <label htmlFor="site-country">{t('layers.country')}</label>
            <select id="site-country" data-testid="site-country-filter" value={props.country} onChange={(e) => props.onCountry(e.target.value)}>
              <option value="">{t('layers.allCountries')}</option>
              {props.countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name} ({f.number(c.count)})
                </option>
              ))}
            </select>
          </div>
          <fieldset className="site-legend" data-testid="site-legend">
            <legend>{t('layers.siteType')}</legend>
            <ul>
              {props.types.map((type) => (
                <li key={type.code} data-type={type.code} data-count={type.count}>
                  <label>
                    <input
                      type="checkbox"
                      name="site-type"
                      value={type.code}
                      checked={!props.hiddenTypes.has(type.code)}
                      onChange={(e) => props.onToggleType(type.code, e.target.checked)}
                    />
                    <SiteSymbol type={type.code} />
                    <span className="site-legend__name">{type.name}</span>
                    <span className="site-legend__count">{f.number(type.count)}</span>
                  </label>
                </li>
              ))}
            </ul>
            {props.types.length > 1 ? (
              <p className="site-legend__all">
                <button type="button" className="link-button" onClick={() => props.onShowAllTypes(true)}>
                  {t('layers.showAll')}
                </button>{' '}
                ·{' '}
                <button type="button" className="link-button" onClick={() => props.onShowAllTypes(false)}>
                  {t('layers.hideAll')}
                </button>
              </p>
            ) : null}
          </fieldset>
        </div>
      ) : null}

      <LayerHeading layer="corridors" label={t('layers.corridors')} badge={allCorridorsIllustrative ? t('layers.theseCorridors') : null} {...props}>
        {status.corridors.state === 'ready' ? <span className="layer__count">{f.number(props.corridors.length)}</span> : null}
      </LayerHeading>
      {layers.corridors && status.corridors.state === 'ready' && props.corridors.length > 0 ? (
        <div className="layer__body">
          <ul className="corridor-legend" data-testid="corridor-legend">
            {props.corridors.map((c, i) => (
              <li key={c.id}>
                <svg width="28" height="10" aria-hidden="true">
                  <line x1="1" y1="5" x2="27" y2="5" stroke="#fff" strokeWidth="6" strokeLinecap="round" />
                  <line x1="1" y1="5" x2="27" y2="5" stroke={corridorColor(i)} strokeWidth="3" strokeLinecap="round" />
                </svg>
                <span className="corridor-legend__name">{c.name}</span>
                {c.illustrative && !allCorridorsIllustrative ? <IllustrativeBadge what={t('layers.thisCorridor')} /> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <LayerHeading layer="flows" label={t('layers.flows')} badge={props.illustrativeFlows ? t('layers.theseFlows') : null} {...props}>
        {status.flows.state === 'ready' ? <span className="layer__count">{t('layers.routes', { count: props.routeCount })}</span> : null}
      </LayerHeading>
      {layers.flows && status.flows.state === 'ready' ? (
        <div className="layer__body">
          {props.flowPeriods.length > 1 ? (
            <div className="field field--inline">
              <label htmlFor="flow-period">{t('layers.period')}</label>
              <select id="flow-period" value={props.flowPeriod} onChange={(e) => props.onFlowPeriod(e.target.value)}>
                <option value="">{t('layers.allPeriods')}</option>
                {props.flowPeriods.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {props.routeCount > 0 ? <FlowLegend maxFlow={props.maxFlow} /> : <p className="muted">{t('layers.noFlows')}</p>}
        </div>
      ) : null}
    </section>
  );
}

function LayerHeading({
  layer,
  label,
  layers,
  status,
  onToggleLayer,
  onRetry,
  badge,
  children,
}: LayerPanelProps & { layer: LayerKey; label: string; badge: string | null; children?: ReactNode }) {
  const { t } = useTranslation(['map', 'common']);
  const s = status[layer];
  return (
    <div className="layer">
      <label className="layer__toggle">
        <input type="checkbox" data-testid={`layer-${layer}`} checked={layers[layer]} onChange={(e) => onToggleLayer(layer, e.target.checked)} />
        <span>{label}</span>
        {badge && s.state === 'ready' ? <IllustrativeBadge what={badge} /> : null}
        {children}
      </label>
      {s.state === 'loading' ? (
        <p className="layer__status" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> {t('layers.loading')}
        </p>
      ) : null}
      {s.state === 'error' ? (
        <p className="layer__status layer__status--error" role="alert">
          {t('layers.unavailable', { message: s.message })}{' '}
          <button type="button" className="link-button" onClick={() => onRetry(layer)}>
            {t('common:actions.tryAgain')}
          </button>
        </p>
      ) : null}
    </div>
  );
}

/** Reference widths of the flow lines, at round numbers below the largest flow. */
function FlowLegend({ maxFlow }: { maxFlow: number }) {
  const { t } = useTranslation('map');
  const f = useFormat();
  const values = [...new Set([roundNice(maxFlow / 16), roundNice(maxFlow / 4), roundNice(maxFlow)])].filter((v) => v > 0);
  return (
    <div className="flow-legend" data-testid="flow-legend">
      <p className="flow-legend__title">{t('layers.flowLegend')}</p>
      <ul>
        {values.map((v) => {
          const w = flowWidth(v, maxFlow);
          return (
            <li key={v}>
              <svg width="44" height="18" aria-hidden="true">
                <line x1="2" y1="9" x2="42" y2="9" stroke={FLOW_COLOR} strokeOpacity="0.7" strokeWidth={w} />
              </svg>
              <span>{formatCount(f, v)}</span>
            </li>
          );
        })}
      </ul>
      <p className="muted">{t('layers.flowNote')}</p>
    </div>
  );
}
