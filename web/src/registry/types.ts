import type { Feature, FeatureCollection, Point } from 'geojson';

// Shapes of the registry API (src/domain/registry.ts is the contract; keep these in step).

export type Availability = 'none' | 'partial' | 'full';

export interface CodeName {
  code: string;
  name: string;
}

export interface Venue {
  alcoholOnSite: boolean | null;
  sexOnSite: boolean | null;
  transactionalSexReported: boolean | null;
  condomsAvailableAtVisit: boolean | null;
}

export interface Site {
  id: string;
  code: string;
  name: string;
  type: string;
  country: string;
  parentId: string;
  latitude: number;
  longitude: number;
  operatingDays: string | null;
  operatingHours: string | null;
  venue: Venue;
  assessmentDate: string | null;
  source: string | null;
  notes: string | null;
  illustrative: boolean;
  updatedAt: string;
}

/** What `POST /api/sites` and `PUT /api/sites/{id}` take. */
export interface SiteInput {
  code?: string;
  name: string;
  type: string;
  country: string;
  parentCode?: string;
  latitude: number | undefined;
  longitude: number | undefined;
  operatingDays?: string;
  operatingHours?: string;
  venue: Venue;
  assessmentDate?: string;
  source?: string;
  notes?: string;
  illustrative: boolean;
}

export interface SizeTotals {
  sizeLow: number;
  sizeHigh: number;
  sizeEstimate: number;
}

export interface SitePopulation extends SizeTotals {
  group: string;
  groupName: string;
  estimateDate: string | null;
  source: string | null;
}

export interface SitePopulationInput {
  group: string;
  sizeLow: number | undefined;
  sizeHigh: number | undefined;
  estimateDate?: string;
  source?: string;
}

export interface SiteService {
  service: string;
  serviceName: string;
  availability: Availability;
  hours: string | null;
  costToUser: string | null;
  languages: string[];
  servesUndocumented: boolean | null;
  onSite: boolean;
}

export interface SiteServiceInput {
  service: string;
  availability: Availability;
  hours?: string;
  costToUser?: string;
  languages: string[];
  servesUndocumented: boolean | null;
  onSite: boolean;
}

export interface Gap {
  group: string;
  groupName: string;
  service: string;
  serviceName: string;
  severity: 'missing' | 'partial';
}

export interface SiteDetail extends Site {
  countryName: string;
  populations: SitePopulation[];
  services: SiteService[];
  gaps: Gap[];
  totals: SizeTotals;
}

export interface SiteFeatureProperties extends Site {
  totals: SizeTotals;
  gapCount: number;
}
export type SiteFeature = Feature<Point, SiteFeatureProperties>;
export type SiteCollection = FeatureCollection<Point, SiteFeatureProperties>;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PopulationGroup {
  id: string;
  code: string;
  name: string;
  description: string | null;
  options: Record<string, string>;
  needs: string[];
}

export interface TaxonomyCategory {
  code: string;
  name: string;
  options: CodeName[];
}

export interface CorridorPlace {
  id: string;
  code: string | null;
  name: string;
  latitude: number | null;
  longitude: number | null;
}

export interface Corridor {
  id: string;
  code: string;
  name: string;
  description: string | null;
  illustrative: boolean;
  places: CorridorPlace[];
}

export interface FlowRoute {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  fromLatitude: number | null;
  fromLongitude: number | null;
  toLatitude: number | null;
  toLongitude: number | null;
  count: number;
}

export interface Flow {
  id: string;
  from: string;
  fromName: string;
  to: string;
  toName: string;
  corridor: string | null;
  periodStart: string;
  periodEnd: string;
  count: number;
  illustrative: boolean;
}

export interface Project {
  id: string;
  code: string;
  title: string;
  description: string | null;
  status: string;
  startDate: string;
  endDate: string | null;
  countries: string[];
  sites: string[];
  donors: { name: string; amountUsd: number }[];
  totalUsd: number;
  objectives: string[];
  beneficiaryGroups: string[];
  sectors: string[];
  targets: { indicator: string; target: number; year?: number }[];
  illustrative: boolean;
}

export interface Policy {
  id: string;
  country: string;
  countryName: string;
  restriction: string;
  status: string;
  effectiveDate: string | null;
  citation: string;
  lastVerified: string;
  notes: string | null;
  illustrative: boolean;
}

export type CountryPolicyStatus = 'restrictions' | 'none' | 'unclear';

export interface PolicyCountryStatus {
  country: string;
  countryName: string;
  status: CountryPolicyStatus;
  restrictions: string[];
}

export interface ReferenceCount {
  /** A year (2008), a month (2021-10) or an approximate date (c.2018). */
  asOf: string | number | null;
  source: string;
  metric: string;
  count: number;
  confidence: string;
  reference: string;
}
