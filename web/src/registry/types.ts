import type { Answer, Schema } from '../api';

// The registry's shapes, named once for the pages that use them. Every one is the OpenAPI
// document's own (generated into web/src/generated/api.ts): a changed schema on the server breaks
// the web's type check instead of drifting.

export type Availability = Schema<'SiteService'>['availability'];
export type CodeName = Answer<'/api/site-types'>[number];
export type Venue = Schema<'Venue'>;
export type Site = Schema<'Site'>;
export type SitePopulation = Schema<'SitePopulation'>;
export type Gap = Schema<'Gap'>;
export type SiteDetail = Schema<'SiteDetail'>;
export type PopulationGroup = Schema<'PopulationGroup'>;
export type TaxonomyCategory = Schema<'TaxonomyCategory'>;
export type Project = Schema<'Project'>;
export type Policy = Schema<'Policy'>;
export type PolicyCountryStatus = Answer<'/api/policies/status-by-country'>['items'][number];
export type ReferenceCount = Answer<'/api/policies/reference-counts'>['items'][number];
