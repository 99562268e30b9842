import { useTranslation } from 'react-i18next';
import { usePrevalenceFormat } from '../prevalence';

const W = 280;
const H = 96;
const M = { top: 12, right: 10, bottom: 18, left: 34 };

/** A small line chart of prevalence over the years, marking the selected year. */
export function Sparkline({ series, year }: { series: [number, number][]; year: number | null }) {
  const { t } = useTranslation('map');
  const { f, prevalence } = usePrevalenceFormat();
  if (series.length === 0) return <p className="muted">{t('country.noEstimate')}</p>;
  const first = series[0]!;
  const last = series[series.length - 1]!;
  const x0 = first[0];
  const x1 = Math.max(last[0], x0 + 1);
  const peak = series.reduce((a, b) => (b[1] > a[1] ? b : a));
  const yMax = peak[1] > 0 ? peak[1] * 1.1 : 1;
  const x = (yr: number) => M.left + ((yr - x0) / (x1 - x0)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  // Gaps in the series break the line rather than being drawn across.
  let line = '';
  series.forEach(([yr, v], i) => {
    const prev = series[i - 1];
    line += `${i === 0 || !prev || yr - prev[0] > 1 ? 'M' : 'L'}${x(yr).toFixed(1)},${y(v).toFixed(1)}`;
  });
  const current = year === null ? undefined : series.find(([yr]) => yr === year);
  const summary = t('country.sparkline', {
    firstYear: first[0],
    first: prevalence(first[1]),
    lastYear: last[0],
    last: prevalence(last[1]),
    peak: prevalence(peak[1]),
    peakYear: peak[0],
  });
  return (
    <figure className="sparkline">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line className="sparkline__axis" x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} />
        <text className="sparkline__tick" x={M.left - 4} y={y(0)} textAnchor="end" dominantBaseline="middle">
          {f.number(0)}
        </text>
        <line className="sparkline__grid" x1={M.left} x2={W - M.right} y1={y(peak[1])} y2={y(peak[1])} />
        <text className="sparkline__tick" x={M.left - 4} y={y(peak[1])} textAnchor="end" dominantBaseline="middle">
          {peak[1] < 1
            ? f.number(peak[1], { minimumSignificantDigits: 2, maximumSignificantDigits: 2 })
            : f.number(peak[1], { minimumFractionDigits: 1, maximumFractionDigits: 1 })}
        </text>
        <path className="sparkline__line" d={line} />
        {year !== null && year >= x0 && year <= x1 ? <line className="sparkline__marker" x1={x(year)} x2={x(year)} y1={M.top - 4} y2={y(0)} /> : null}
        {current ? <circle className="sparkline__dot" cx={x(current[0])} cy={y(current[1])} r={3.5} /> : null}
        <text className="sparkline__tick" x={x(x0)} y={H - 4} textAnchor="start">
          {first[0]}
        </text>
        <text className="sparkline__tick" x={x(x1)} y={H - 4} textAnchor="end">
          {last[0]}
        </text>
      </svg>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
}
