import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CountryFeature } from './api';
import { formatters } from './i18n/format';
import type { Formatters } from './i18n/format';

/** One class of the choropleth: values v with min <= v < max (max null: no upper bound). */
export interface PrevalenceClass {
  min: number;
  max: number | null;
  /** The class's identity in the page (`data-class`), the same in every language. */
  label: string;
  color: string;
}

/**
 * Classes for adult HIV prevalence (%), spanning concentrated epidemics (< 1 %) to the
 * hyperendemic ones of southern Africa (> 20 %). Colours: ColorBrewer YlOrRd, 8 classes
 * (sequential, colour-blind safe, prints in greyscale in order).
 */
export const PREVALENCE_CLASSES: readonly PrevalenceClass[] = [
  { min: 0, max: 0.1, label: '< 0.1', color: '#ffffcc' },
  { min: 0.1, max: 0.5, label: '0.1–0.5', color: '#ffeda0' },
  { min: 0.5, max: 1, label: '0.5–1', color: '#fed976' },
  { min: 1, max: 2, label: '1–2', color: '#feb24c' },
  { min: 2, max: 5, label: '2–5', color: '#fd8d3c' },
  { min: 5, max: 10, label: '5–10', color: '#fc4e2a' },
  { min: 10, max: 20, label: '10–20', color: '#e31a1c' },
  { min: 20, max: null, label: '≥ 20', color: '#b10026' },
];

/** Fill of a country without an estimate for the year: neutral, lighter than every class but the first. */
export const NO_DATA_COLOR = '#c9ccd1';

/** The class of a prevalence value (%), or null when there is no value. */
export function classify(value: number | null | undefined): PrevalenceClass | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  for (const c of PREVALENCE_CLASSES) {
    if (c.max === null || value < c.max) return c;
  }
  return null;
}

/** Fill colour for a prevalence value (%). */
export function colorFor(value: number | null | undefined): string {
  return classify(value)?.color ?? NO_DATA_COLOR;
}

/** Prevalence of a country in a year, or null when UNAIDS publishes none. */
export function prevalenceIn(feature: CountryFeature, year: number): number | null {
  const value = feature.properties.hivPrevalence[String(year)];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Formats a prevalence (%) the way UNAIDS reports it: one decimal, "<0.1%" below 0.1 (« <0,1 % » in French). */
export function formatPrevalence(f: Formatters, value: number): string {
  return value < 0.1 ? `<${f.percent(0.001)}` : f.percent(value / 100);
}

/** A class's bounds in the user's numbers: "< 0.1", "0.1–0.5", "≥ 20" (« 0,1–0,5 » in French). */
export function classRange(f: Formatters, c: PrevalenceClass): string {
  if (c.max === null) return `≥ ${f.number(c.min)}`;
  if (c.min === 0) return `< ${f.number(c.max)}`;
  return `${f.number(c.min)}–${f.number(c.max)}`;
}

/** Prevalence formatting in the user's language, "no data" for a missing value; the same functions until the language changes. */
export function usePrevalenceFormat() {
  const { t, i18n } = useTranslation('map');
  return useMemo(() => {
    const f = formatters(i18n.language);
    return {
      f,
      prevalence: (value: number | null) => (value === null ? t('prevalence.noData') : formatPrevalence(f, value)),
      range: (c: PrevalenceClass) => classRange(f, c),
    };
  }, [i18n.language, t]);
}

/** Every year with at least one estimate, ascending. */
export function yearsIn(features: readonly CountryFeature[]): number[] {
  const years = new Set<number>();
  for (const f of features) {
    for (const key of Object.keys(f.properties.hivPrevalence ?? {})) {
      const year = Number(key);
      if (Number.isInteger(year)) years.add(year);
    }
  }
  return [...years].sort((a, b) => a - b);
}
