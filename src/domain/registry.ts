import { BBoxParamSchema } from './place.js';
import {
  AVAILABILITY_LABELS,
  FLOW_REASON_LABELS,
  labelled as L,
  listOf,
  OBJECTIVE_LABELS,
  POLICY_STATUS_LABELS,
  PROJECT_STATUS_LABELS,
  RESTRICTION_LABELS,
  SERVICE_TYPE_LABELS,
  SEX_LABELS,
  SITE_TYPE_LABELS,
} from './labels.js';
import { isoDate, z } from './validation.js';
import { SITE_TYPES } from '../shared/registry.js';

export { SITE_TYPES, type SiteType } from '../shared/registry.js';

/**
 * The registry of DESIGN §2.1: sites (spaces of vulnerability) with their populations and
 * services, the population taxonomy, corridors, flows, projects and policies. These schemas
 * validate the API and the files, and generate the OpenAPI document. The fields people fill in
 * carry their labels (`L(schema, label, option names)`, labels.ts), which messages use.
 */

const code = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must hold only letters, digits and _ . : -');
/** An empty choice is "Choose a country"; anything else not of three capitals names the code wanted. */
const iso3 = z
  .string()
  .min(1, { error: 'Choose a country', abort: true })
  .regex(/^[A-Z]{3}$/, 'must be a three-letter country code (ISO 3166-1 alpha-3) such as KEN');
const text = (max: number) => z.string().trim().max(max);
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

export const SiteTypeSchema = z.enum(SITE_TYPES);

/** HIV services found at or near a site (DESIGN §2.1). */
export const SERVICE_TYPES = [
  'hiv_testing',
  'art_initiation',
  'art_refill',
  'viral_load',
  'prep',
  'pep',
  'condoms_lubricant',
  'sti_care',
  'vmmc',
  'harm_reduction',
  'gbv_support',
  'tb_screening',
] as const;
export const ServiceTypeSchema = z.enum(SERVICE_TYPES);
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const AvailabilitySchema = z.enum(['none', 'partial', 'full']);

export const VenueSchema = z
  .object({
    alcoholOnSite: L(z.boolean(), 'Alcohol sold or drunk on site').nullable().default(null),
    sexOnSite: L(z.boolean(), 'Sex on site').nullable().default(null),
    transactionalSexReported: L(z.boolean(), 'Transactional sex reported').nullable().default(null),
    condomsAvailableAtVisit: L(z.boolean(), 'Condoms available at the visit').nullable().default(null),
  })
  .strict()
  .meta({ id: 'Venue', description: 'Venue characteristics observed at assessment; null where not assessed.' });

/** The fields a site is created or replaced with. */
export const SiteInputSchema = z
  .object({
    code: L(code, 'Site code').optional().describe('Unique code of the site, e.g. KE-MSA-PORT. Generated when omitted.'),
    name: L(text(200).min(1), 'Site name'),
    type: L(SiteTypeSchema, 'Site type', SITE_TYPE_LABELS),
    country: L(iso3, 'Country').describe('ISO3 code of the country the site is in.'),
    parentCode: L(code, 'Admin area').optional().describe('Code of the admin area the site is in (within its country); the country when omitted.'),
    latitude: L(latitude, 'Latitude'),
    longitude: L(longitude, 'Longitude'),
    operatingDays: L(text(200), 'Operating days').optional(),
    operatingHours: L(text(200), 'Operating hours').optional(),
    venue: VenueSchema.prefault({}),
    assessmentDate: L(isoDate, 'Assessment date').optional(),
    source: L(text(500), 'Source').optional(),
    notes: L(text(5000), 'Notes').optional(),
    illustrative: L(z.boolean(), 'Illustrative').default(false).describe('True for made-up or demonstration values.'),
  })
  .strict()
  .meta({ id: 'SiteInput' });
export type SiteInput = z.infer<typeof SiteInputSchema>;

export const SiteSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    type: SiteTypeSchema,
    country: z.string(),
    parentId: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    operatingDays: z.string().nullable(),
    operatingHours: z.string().nullable(),
    venue: VenueSchema,
    assessmentDate: z.string().nullable(),
    source: z.string().nullable(),
    notes: z.string().nullable(),
    illustrative: z.boolean(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Site' });
export type Site = z.infer<typeof SiteSchema>;

/** A population present at a site, with a low–high size estimate (programmatic mapping). */
export const SitePopulationInputSchema = z
  .object({
    group: L(code, 'Population group').describe('Population group code.'),
    sizeLow: L(z.number().int().min(0), 'Lowest size estimate'),
    sizeHigh: L(z.number().int().min(0), 'Highest size estimate'),
    estimateDate: L(isoDate, 'Estimate date').optional(),
    source: L(text(500), 'Source').optional(),
  })
  .strict()
  .refine((p) => p.sizeLow <= p.sizeHigh, { message: 'must not exceed the highest', path: ['sizeLow'] })
  .meta({ id: 'SitePopulationInput' });
export type SitePopulationInput = z.infer<typeof SitePopulationInputSchema>;
/** The populations of a site, as one replaces them (messages number them: "population 2"). */
export const SitePopulationsInputSchema = listOf(z.array(SitePopulationInputSchema).max(500), 'population');

export const SitePopulationSchema = z
  .object({
    group: z.string(),
    groupName: z.string(),
    sizeLow: z.number().int(),
    sizeHigh: z.number().int(),
    /** Midpoint of low and high (programmatic mapping's point estimate). */
    sizeEstimate: z.number(),
    estimateDate: z.string().nullable(),
    source: z.string().nullable(),
  })
  .meta({ id: 'SitePopulation' });

export const SiteServiceInputSchema = z
  .object({
    service: L(ServiceTypeSchema, 'Service', SERVICE_TYPE_LABELS),
    availability: L(AvailabilitySchema, 'Availability', AVAILABILITY_LABELS),
    hours: L(text(200), 'Hours').optional(),
    costToUser: L(text(200), 'Cost to the user').optional().describe('What a user pays, e.g. "free" or "200 KES".'),
    languages: listOf(L(z.array(text(50).min(1)).max(20), 'Languages'), 'language').default([]),
    servesUndocumented: L(z.boolean(), 'Serves migrants without documents').nullable().default(null).describe('Whether migrants without documents are served.'),
    onSite: L(z.boolean(), 'On site').default(true).describe('At the site (true) or nearby (false).'),
  })
  .strict()
  .meta({ id: 'SiteServiceInput' });
export type SiteServiceInput = z.infer<typeof SiteServiceInputSchema>;
/** The services of a site, as one replaces them (messages number them: "service 2"). */
export const SiteServicesInputSchema = listOf(z.array(SiteServiceInputSchema).max(100), 'service');

export const SiteServiceSchema = SiteServiceInputSchema.extend({
  serviceName: z.string(),
  hours: z.string().nullable(),
  costToUser: z.string().nullable(),
}).meta({ id: 'SiteService' });

export const GapSchema = z
  .object({
    group: z.string(),
    groupName: z.string(),
    service: ServiceTypeSchema,
    serviceName: z.string(),
    /** `missing`: no such service; `partial`: only partly available. */
    severity: z.enum(['missing', 'partial']),
  })
  .meta({ id: 'Gap', description: 'A population present at a site without a service it needs.' });
export type Gap = z.infer<typeof GapSchema>;

export const SiteDetailSchema = SiteSchema.extend({
  countryName: z.string(),
  populations: z.array(SitePopulationSchema),
  services: z.array(SiteServiceSchema),
  gaps: z.array(GapSchema),
  totals: z.object({ sizeLow: z.number(), sizeHigh: z.number(), sizeEstimate: z.number() }),
}).meta({ id: 'SiteDetail' });
export type SiteDetail = z.infer<typeof SiteDetailSchema>;

/** A whole site as files carry it: the site, its populations and its services. */
export const SiteRecordSchema = SiteInputSchema.extend({
  parentName: L(text(200).min(1), 'Admin area name')
    .optional()
    .describe('Name of the admin area `parentCode`: with it, an import creates the area when it is missing.'),
  populations: listOf(z.array(SitePopulationInputSchema), 'population', 'Populations').default([]),
  services: listOf(z.array(SiteServiceInputSchema), 'service', 'Services').default([]),
}).meta({ id: 'SiteRecord' });
export type SiteRecord = z.infer<typeof SiteRecordSchema>;

/** The file formats sites are exchanged in: GeoJSON points, HXL-tagged CSV and plain CSV (`corridor sites import|export`). */
export const SITE_FILE_FORMATS = ['geojson', 'hxl', 'csv'] as const;
export type SiteFileFormat = (typeof SITE_FILE_FORMATS)[number];

export const SiteQuerySchema = z
  .object({
    type: SiteTypeSchema.optional(),
    country: iso3.optional(),
    bbox: BBoxParamSchema.optional().describe('minLon,minLat,maxLon,maxLat: sites inside this box.'),
    q: z.string().min(1).max(100).optional().describe('Part of the name or code.'),
    format: z.enum(['json', 'geojson', 'hxl', 'csv']).default('json'),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type SiteQuery = z.infer<typeof SiteQuerySchema>;

// ------------------------------------------------------------------ taxonomy and groups

export const TaxonomyOptionSchema = z
  .object({ code, name: text(200).min(1) })
  .strict()
  .meta({ id: 'TaxonomyOption' });
export const TaxonomyCategorySchema = z.object({ code: z.string(), name: z.string(), options: z.array(TaxonomyOptionSchema) }).meta({ id: 'TaxonomyCategory' });

export const PopulationGroupInputSchema = z
  .object({
    code: L(code, 'Group code'),
    name: L(text(200).min(1), 'Group name'),
    description: L(text(2000), 'Description').optional(),
    /** Taxonomy options that define the group: {category code: option code}. */
    options: z.record(code, code).default({}),
  })
  .strict()
  .meta({ id: 'PopulationGroupInput' });
export type PopulationGroupInput = z.infer<typeof PopulationGroupInputSchema>;
export const PopulationGroupSchema = PopulationGroupInputSchema.extend({
  id: z.string(),
  description: z.string().nullable(),
  /** Services this group needs, from the need rules. */
  needs: z.array(ServiceTypeSchema),
}).meta({ id: 'PopulationGroup' });

// ------------------------------------------------------------------ corridors and flows

export const CorridorInputSchema = z
  .object({
    code: L(code, 'Corridor code'),
    name: L(text(200).min(1), 'Corridor name'),
    description: L(text(5000), 'Description').optional(),
    /** Codes of the places along the route, in order (sites, towns, countries). */
    places: listOf(L(z.array(code).min(2).max(200), 'Places on the route'), 'place'),
    illustrative: L(z.boolean(), 'Illustrative').default(false),
  })
  .strict()
  .meta({ id: 'CorridorInput' });
export type CorridorInput = z.infer<typeof CorridorInputSchema>;
export const CorridorSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    illustrative: z.boolean(),
    places: z.array(
      z.object({ id: z.string(), code: z.string().nullable(), name: z.string(), latitude: z.number().nullable(), longitude: z.number().nullable() }),
    ),
  })
  .meta({ id: 'Corridor' });

export const FLOW_REASONS = ['work', 'trade', 'transport', 'family', 'displacement', 'study', 'tourism', 'health', 'other', 'unknown'] as const;

export const FlowInputSchema = z
  .object({
    from: L(code, 'Place of origin').describe('Code of the place people leave.'),
    to: L(code, 'Destination').describe('Code of the place they go to.'),
    corridor: L(code, 'Corridor').optional(),
    periodStart: L(isoDate, 'Start of the period'),
    periodEnd: L(isoDate, 'End of the period'),
    sex: L(z.enum(['F', 'M', 'all']), 'Sex', SEX_LABELS).default('all'),
    ageBand: L(z.string().regex(/^(\d{1,2}-\d{1,2}|\d{1,2}\+|all)$/, 'must be like 15-24, 50+ or all'), 'Age band').default('all'),
    nationality: L(z.union([iso3, z.literal('all')]), 'Nationality').default('all'),
    reason: L(z.enum(FLOW_REASONS), 'Reason for moving', FLOW_REASON_LABELS).default('unknown'),
    count: L(z.number().int().min(0), 'Number of people'),
    source: L(text(500), 'Source').optional(),
    illustrative: L(z.boolean(), 'Illustrative').default(false),
  })
  .strict()
  .refine((f) => f.periodStart <= f.periodEnd, { message: 'must not be before the start of the period', path: ['periodEnd'] })
  .refine((f) => f.from !== f.to, { message: 'must differ from the place of origin', path: ['to'] })
  .meta({ id: 'FlowInput' });
export type FlowInput = z.infer<typeof FlowInputSchema>;
export const FlowSchema = z
  .object({
    id: z.string(),
    from: z.string(),
    fromName: z.string(),
    to: z.string(),
    toName: z.string(),
    corridor: z.string().nullable(),
    periodStart: z.string(),
    periodEnd: z.string(),
    sex: z.string(),
    ageBand: z.string(),
    nationality: z.string(),
    reason: z.string(),
    count: z.number(),
    source: z.string().nullable(),
    illustrative: z.boolean(),
  })
  .meta({ id: 'Flow' });

// ------------------------------------------------------------------ projects and policies

export const PROJECT_OBJECTIVES = ['service_delivery_capacity_building', 'advocacy_for_policy', 'research_information'] as const;

export const ProjectInputSchema = z
  .object({
    code: L(code, 'Project code'),
    title: L(text(300).min(1), 'Title'),
    description: L(text(5000), 'Description').optional(),
    status: L(z.enum(['planned', 'active', 'closed']), 'Status', PROJECT_STATUS_LABELS),
    startDate: L(isoDate, 'Start date'),
    endDate: L(isoDate, 'End date').optional(),
    countries: listOf(L(z.array(L(iso3, 'Country')).min(1), 'Countries'), 'country'),
    sites: listOf(L(z.array(code), 'Sites'), 'site').default([]),
    donors: listOf(
      z.array(z.object({ name: L(text(200).min(1), 'Donor name'), amountUsd: L(z.number().min(0), 'Amount (USD)') }).strict()),
      'donor',
      'Donors',
    ).default([]),
    objectives: listOf(L(z.array(L(z.enum(PROJECT_OBJECTIVES), 'Objective', OBJECTIVE_LABELS)), 'Objectives'), 'objective').default([]),
    beneficiaryGroups: listOf(L(z.array(code), 'Beneficiary groups'), 'group').default([]),
    sectors: listOf(L(z.array(code), 'Sectors'), 'sector').default([]),
    targets: listOf(
      z.array(
        z.object({ indicator: L(text(100).min(1), 'Indicator'), target: L(z.number(), 'Target'), year: L(z.number().int(), 'Year').optional() }).strict(),
      ),
      'target',
      'Targets',
    ).default([]),
    illustrative: L(z.boolean(), 'Illustrative').default(false),
  })
  .strict()
  .refine((p) => !p.endDate || p.startDate <= p.endDate, { message: 'must not be before the start date', path: ['endDate'] })
  .meta({ id: 'ProjectInput' });
export type ProjectInput = z.infer<typeof ProjectInputSchema>;
export const ProjectSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.string(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    countries: z.array(z.string()),
    sites: z.array(z.string()),
    donors: z.array(z.object({ name: z.string(), amountUsd: z.number() })),
    totalUsd: z.number(),
    objectives: z.array(z.string()),
    beneficiaryGroups: z.array(z.string()),
    sectors: z.array(z.string()),
    targets: z.array(z.object({ indicator: z.string(), target: z.number(), year: z.number().optional() })),
    illustrative: z.boolean(),
  })
  .meta({ id: 'Project' });

export const RESTRICTION_TYPES = ['entry_ban', 'short_stay', 'long_stay_residence', 'deportation', 'mandatory_testing_disclosure'] as const;

export const PolicyInputSchema = z
  .object({
    country: L(iso3, 'Country'),
    restriction: L(z.enum(RESTRICTION_TYPES), 'Restriction', RESTRICTION_LABELS),
    status: L(z.enum(['in_force', 'repealed', 'none', 'unclear']), 'Status', POLICY_STATUS_LABELS),
    effectiveDate: L(isoDate, 'Effective date').optional(),
    citation: L(text(1000).min(1, 'is required: a policy needs a citation'), 'Citation'),
    lastVerified: L(isoDate, 'Last verified'),
    notes: L(text(5000), 'Notes').optional(),
    illustrative: L(z.boolean(), 'Illustrative').default(false),
  })
  .strict()
  .meta({ id: 'PolicyInput' });
export type PolicyInput = z.infer<typeof PolicyInputSchema>;
export const PolicySchema = PolicyInputSchema.extend({
  id: z.string(),
  countryName: z.string(),
  effectiveDate: z.string().nullable(),
  notes: z.string().nullable(),
}).meta({ id: 'Policy' });
