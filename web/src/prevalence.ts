import type { CountryFeature } from './api';

/** One class of the choropleth: values v with min <= v < max (max null: no upper bound). */
export interface PrevalenceClass {
  min: number;
  max: number | null;
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

/** Formats a prevalence (%) the way UNAIDS reports it: one decimal, "<0.1" below 0.1. */
export function formatPrevalence(value: number | null): string {
  if (value === null) return 'no data';
  if (value < 0.1) return '<0.1%';
  return `${value.toFixed(1)}%`;
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
