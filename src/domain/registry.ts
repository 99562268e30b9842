import { BBoxParamSchema } from './place.js';
import { isoDate, z } from './validation.js';

/**
 * The registry of DESIGN §2.1: sites (spaces of vulnerability) with their populations and
 * services, the population taxonomy, corridors, flows, projects and policies. These schemas
 * validate the API and the files, and generate the OpenAPI document.
 */

const code = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : - only');
const iso3 = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code such as KEN');
const text = (max: number) => z.string().trim().max(max);
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

/** Site types: the spaces of vulnerability of DESIGN §2.1 (and `other`). */
export const SITE_TYPES = [
  'land_border_post',
  'port',
  'mine',
  'construction_site',
  'farm_compound',
  'truck_stop',
  'fishing_landing',
  'market',
  'transit_centre',
  'camp_settlement',
  'other',
] as const;
export const SiteTypeSchema = z.enum(SITE_TYPES);
export type SiteType = (typeof SITE_TYPES)[number];

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
    alcoholOnSite: z.boolean().nullable().default(null),
    sexOnSite: z.boolean().nullable().default(null),
    transactionalSexReported: z.boolean().nullable().default(null),
    condomsAvailableAtVisit: z.boolean().nullable().default(null),
  })
  .strict()
  .meta({ id: 'Venue', description: 'Venue characteristics observed at assessment; null where not assessed.' });

/** The fields a site is created or replaced with. */
export const SiteInputSchema = z
  .object({
    code: code.optional().describe('Unique code of the site, e.g. KE-MSA-PORT. Generated when omitted.'),
    name: text(200).min(1),
    type: SiteTypeSchema,
    country: iso3.describe('ISO3 code of the country the site is in.'),
    parentCode: code.optional().describe('Code of the admin area the site is in (within its country); the country when omitted.'),
    latitude,
    longitude,
    operatingDays: text(200).optional(),
    operatingHours: text(200).optional(),
    venue: VenueSchema.prefault({}),
    assessmentDate: isoDate.optional(),
    source: text(500).optional(),
    notes: text(5000).optional(),
    illustrative: z.boolean().default(false).describe('True for made-up or demonstration values.'),
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
    group: code.describe('Population group code.'),
    sizeLow: z.number().int().min(0),
    sizeHigh: z.number().int().min(0),
    estimateDate: isoDate.optional(),
    source: text(500).optional(),
  })
  .strict()
  .refine((p) => p.sizeLow <= p.sizeHigh, { message: 'sizeLow must not exceed sizeHigh', path: ['sizeLow'] })
  .meta({ id: 'SitePopulationInput' });
export type SitePopulationInput = z.infer<typeof SitePopulationInputSchema>;

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
    service: ServiceTypeSchema,
    availability: AvailabilitySchema,
    hours: text(200).optional(),
    costToUser: text(200).optional().describe('What a user pays, e.g. "free" or "200 KES".'),
    languages: z.array(text(50).min(1)).max(20).default([]),
    servesUndocumented: z.boolean().nullable().default(null).describe('Whether migrants without documents are served.'),
    onSite: z.boolean().default(true).describe('At the site (true) or nearby (false).'),
  })
  .strict()
  .meta({ id: 'SiteServiceInput' });
export type SiteServiceInput = z.infer<typeof SiteServiceInputSchema>;

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
  parentName: text(200).min(1).optional().describe('Name of the admin area `parentCode`: with it, an import creates the area when it is missing.'),
  populations: z.array(SitePopulationInputSchema).default([]),
  services: z.array(SiteServiceInputSchema).default([]),
}).meta({ id: 'SiteRecord' });
export type SiteRecord = z.infer<typeof SiteRecordSchema>;

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

export const TaxonomyOptionSchema = z.object({ code, name: text(200).min(1) }).strict().meta({ id: 'TaxonomyOption' });
export const TaxonomyCategorySchema = z
  .object({ code: z.string(), name: z.string(), options: z.array(TaxonomyOptionSchema) })
  .meta({ id: 'TaxonomyCategory' });

export const PopulationGroupInputSchema = z
  .object({
    code,
    name: text(200).min(1),
    description: text(2000).optional(),
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
    code,
    name: text(200).min(1),
    description: text(5000).optional(),
    /** Codes of the places along the route, in order (sites, towns, countries). */
    places: z.array(code).min(2).max(200),
    illustrative: z.boolean().default(false),
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
    places: z.array(z.object({ id: z.string(), code: z.string().nullable(), name: z.string(), latitude: z.number().nullable(), longitude: z.number().nullable() })),
  })
  .meta({ id: 'Corridor' });

export const FLOW_REASONS = ['work', 'trade', 'transport', 'family', 'displacement', 'study', 'tourism', 'health', 'other', 'unknown'] as const;

export const FlowInputSchema = z
  .object({
    from: code.describe('Code of the place people leave.'),
    to: code.describe('Code of the place they go to.'),
    corridor: code.optional(),
    periodStart: isoDate,
    periodEnd: isoDate,
    sex: z.enum(['F', 'M', 'all']).default('all'),
    ageBand: z.string().regex(/^(\d{1,2}-\d{1,2}|\d{1,2}\+|all)$/, 'must be like 15-24, 50+ or all').default('all'),
    nationality: z.union([iso3, z.literal('all')]).default('all'),
    reason: z.enum(FLOW_REASONS).default('unknown'),
    count: z.number().int().min(0),
    source: text(500).optional(),
    illustrative: z.boolean().default(false),
  })
  .strict()
  .refine((f) => f.periodStart <= f.periodEnd, { message: 'periodStart must not be after periodEnd', path: ['periodEnd'] })
  .refine((f) => f.from !== f.to, { message: 'from and to must differ', path: ['to'] })
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
    code,
    title: text(300).min(1),
    description: text(5000).optional(),
    status: z.enum(['planned', 'active', 'closed']),
    startDate: isoDate,
    endDate: isoDate.optional(),
    countries: z.array(iso3).min(1),
    sites: z.array(code).default([]),
    donors: z.array(z.object({ name: text(200).min(1), amountUsd: z.number().min(0) }).strict()).default([]),
    objectives: z.array(z.enum(PROJECT_OBJECTIVES)).default([]),
    beneficiaryGroups: z.array(code).default([]),
    sectors: z.array(code).default([]),
    targets: z.array(z.object({ indicator: text(100).min(1), target: z.number(), year: z.number().int().optional() }).strict()).default([]),
    illustrative: z.boolean().default(false),
  })
  .strict()
  .refine((p) => !p.endDate || p.startDate <= p.endDate, { message: 'endDate must not be before startDate', path: ['endDate'] })
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
    country: iso3,
    restriction: z.enum(RESTRICTION_TYPES),
    status: z.enum(['in_force', 'repealed', 'none', 'unclear']),
    effectiveDate: isoDate.optional(),
    citation: text(1000).min(1, 'a policy needs a citation'),
    lastVerified: isoDate,
    notes: text(5000).optional(),
    illustrative: z.boolean().default(false),
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
