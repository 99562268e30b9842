import { z } from './validation.js';

/** DHIS2's default category combo and category option combo (their real UIDs, DESIGN §2.2). */
export const DEFAULT_COMBO = 'bjDvmb4bfuf';
export const DEFAULT_COC = 'HllvX50cXC0';

export const VALUE_TYPES = [
  'NUMBER',
  'INTEGER',
  'INTEGER_POSITIVE',
  'INTEGER_ZERO_OR_POSITIVE',
  'PERCENTAGE',
  'TEXT',
  'LONG_TEXT',
  'BOOLEAN',
  'TRUE_ONLY',
  'DATE',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export const AGGREGATION_TYPES = ['SUM', 'AVERAGE', 'AVERAGE_SUM_ORG_UNIT', 'COUNT', 'MIN', 'MAX', 'NONE', 'LAST', 'LAST_AVERAGE_ORG_UNIT', 'DEFAULT'] as const;

const Uid = z.string().regex(/^[A-Za-z][A-Za-z0-9]{10}$/, 'must be an 11-character DHIS2 UID');
const Ref = z.looseObject({ id: Uid });
const Name = z.string().min(1).max(230);
const Code = z.string().min(1).max(50).optional();

export const VALIDATION_OPERATORS = [
  'equal_to',
  'not_equal_to',
  'greater_than',
  'greater_than_or_equal_to',
  'less_than',
  'less_than_or_equal_to',
  'compulsory_pair',
  'exclusive_pair',
] as const;
export const MISSING_VALUE_STRATEGIES = ['SKIP_IF_ANY_VALUE_MISSING', 'SKIP_IF_ALL_VALUES_MISSING', 'NEVER_SKIP'] as const;
export const IMPORTANCES = ['HIGH', 'MEDIUM', 'LOW'] as const;

const Description = z.string().max(10_000).optional();
const RuleSide = z.looseObject({ expression: z.string().min(1).max(10_000), missingValueStrategy: z.enum(MISSING_VALUE_STRATEGIES).optional() });

/** The DHIS2 metadata JSON shape (`/api/metadata`), the parts Corridor keeps; other fields are ignored. */
export const MetadataSchema = z
  .looseObject({
    organisationUnits: z
      .array(
        z.looseObject({
          id: Uid,
          name: Name,
          code: Code,
          shortName: z.string().optional(),
          parent: Ref.optional(),
          level: z.number().int().min(1).max(6).optional(),
        }),
      )
      .max(100_000)
      .optional(),
    categoryOptions: z.array(z.looseObject({ id: Uid, name: Name, code: Code, shortName: z.string().optional() })).optional(),
    categories: z
      .array(z.looseObject({ id: Uid, name: Name, code: Code, dataDimensionType: z.string().optional(), categoryOptions: z.array(Ref).min(1) }))
      .optional(),
    categoryCombos: z
      .array(z.looseObject({ id: Uid, name: Name, code: Code, dataDimensionType: z.string().optional(), categories: z.array(Ref).min(1) }))
      .optional(),
    categoryOptionCombos: z.array(z.looseObject({ id: Uid, name: Name, code: Code, categoryCombo: Ref, categoryOptions: z.array(Ref).min(1) })).optional(),
    dataElements: z
      .array(
        z.looseObject({
          id: Uid,
          name: Name,
          code: Code,
          shortName: z.string().max(50).optional(),
          description: Description,
          valueType: z.enum(VALUE_TYPES),
          aggregationType: z.enum(AGGREGATION_TYPES).optional(),
          categoryCombo: Ref.optional(),
        }),
      )
      .optional(),
    dataSets: z
      .array(
        z.looseObject({
          id: Uid,
          name: Name,
          code: Code,
          periodType: z.string().min(1),
          description: Description,
          /** The attribute combo (project, implementing partner): an ATTRIBUTE combo, or DHIS2's default. */
          categoryCombo: Ref.optional(),
          timelyDays: z.number().int().min(0).max(366).optional(),
          dataSetElements: z.array(z.looseObject({ dataElement: Ref })).optional(),
          organisationUnits: z.array(Ref).optional(),
        }),
      )
      .optional(),
    indicators: z
      .array(
        z.looseObject({
          id: Uid,
          name: Name,
          code: Code,
          numerator: z.string().min(1),
          denominator: z.string().min(1),
          description: Description,
          /** Corridor extension (DHIS2 ignores it): the reference the indicator comes from, e.g. a WHO guideline. */
          source: z.string().max(1000).optional(),
          indicatorType: z.looseObject({ factor: z.number().optional() }).optional(),
        }),
      )
      .optional(),
    validationRules: z
      .array(
        z.looseObject({
          id: Uid,
          name: Name,
          code: Code,
          description: Description,
          leftSide: RuleSide,
          operator: z.enum(VALIDATION_OPERATORS),
          rightSide: RuleSide,
          importance: z.enum(IMPORTANCES).optional(),
          periodType: z.string().min(1),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Metadata', description: 'DHIS2 metadata JSON: organisation units, categories, data elements, data sets, indicators, validation rules.' });
export type Metadata = z.infer<typeof MetadataSchema>;

const TypeCountSchema = z.object({ created: z.number().int(), updated: z.number().int(), deleted: z.number().int() });
export const MetadataReportSchema = z
  .object({
    status: z.enum(['OK']),
    stats: TypeCountSchema,
    typeReports: z.array(z.object({ klass: z.string(), stats: TypeCountSchema })),
  })
  .meta({ id: 'MetadataReport' });
export type MetadataReport = z.infer<typeof MetadataReportSchema>;

// Metadata as read back (GET /api/metadata/…): what the web app and clients list and show.
const IdName = z.object({ id: z.string(), name: z.string() });
const CodeOrNull = z.string().nullable();

/** A category combo with its categories, their options in order, and its category option combos. */
export const ComboStructureSchema = z
  .object({
    id: z.string(),
    code: CodeOrNull,
    name: z.string(),
    dataDimensionType: z.string(),
    categories: z.array(
      z.object({ id: z.string(), code: CodeOrNull, name: z.string(), options: z.array(z.object({ id: z.string(), code: CodeOrNull, name: z.string() })) }),
    ),
    cocs: z.array(z.object({ id: z.string(), name: z.string(), options: z.array(z.string()).describe('option ids, in category order') })),
  })
  .meta({ id: 'CategoryComboStructure' });
export type ComboStructure = z.infer<typeof ComboStructureSchema>;

export const DataSetSummarySchema = z
  .object({
    id: z.string(),
    code: CodeOrNull,
    name: z.string(),
    description: z.string().nullable(),
    periodType: z.string(),
    timelyDays: z.number().int(),
    categoryCombo: IdName.describe('the attribute combo'),
    dataElementCount: z.number().int(),
    organisationUnitCount: z.number().int().describe('assigned places within your scope'),
  })
  .meta({ id: 'DataSetSummary' });
export type DataSetSummary = z.infer<typeof DataSetSummarySchema>;

export const DataElementOutSchema = z
  .object({
    id: z.string(),
    code: CodeOrNull,
    name: z.string(),
    shortName: z.string().nullable(),
    description: z.string().nullable(),
    valueType: z.string(),
    aggregationType: z.string(),
    categoryCombo: IdName,
  })
  .meta({ id: 'DataElementOut' });
export type DataElementOut = z.infer<typeof DataElementOutSchema>;

export const CategoryComboOutSchema = z
  .object({
    id: z.string(),
    code: CodeOrNull,
    name: z.string(),
    dataDimensionType: z.string(),
    categories: ComboStructureSchema.shape.categories,
    cocCount: z.number().int().describe('how many category option combos the combo has'),
  })
  .meta({ id: 'CategoryComboOut' });
export type CategoryComboOut = z.infer<typeof CategoryComboOutSchema>;

export const IndicatorOutSchema = z
  .object({
    id: z.string(),
    code: CodeOrNull,
    name: z.string(),
    description: z.string().nullable(),
    source: z.string().nullable(),
    numerator: z.string(),
    denominator: z.string(),
    factor: z.number(),
  })
  .meta({ id: 'IndicatorOut' });
export type IndicatorOut = z.infer<typeof IndicatorOutSchema>;

const RuleSideOut = z.object({ expression: z.string(), missingValueStrategy: z.enum(MISSING_VALUE_STRATEGIES) });
export const ValidationRuleOutSchema = z
  .object({
    id: z.string(),
    code: CodeOrNull,
    name: z.string(),
    description: z.string().nullable(),
    operator: z.enum(VALIDATION_OPERATORS),
    leftSide: RuleSideOut,
    rightSide: RuleSideOut,
    importance: z.enum(IMPORTANCES),
    periodType: z.string(),
  })
  .meta({ id: 'ValidationRuleOut', description: 'A validation rule in the DHIS2 shape (imports back unchanged)' });
export type ValidationRuleOut = z.infer<typeof ValidationRuleOutSchema>;

export const DataSetDetailSchema = DataSetSummarySchema.omit({ dataElementCount: true, organisationUnitCount: true })
  .extend({
    dataElements: z.array(DataElementOutSchema),
    categoryCombos: z.array(ComboStructureSchema).describe("the structure of the attribute combo and of every element's combo, each once"),
    organisationUnits: z
      .array(z.object({ id: z.string(), code: CodeOrNull, name: z.string(), level: z.string() }))
      .describe('assigned places within your scope'),
  })
  .meta({ id: 'DataSetDetail' });
export type DataSetDetail = z.infer<typeof DataSetDetailSchema>;

const Bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

/** One data value as DHIS2 exchanges it. */
export const DataValueSchema = z
  .looseObject({
    dataElement: z.string().min(1).max(230),
    period: z.string().min(1).max(30).optional(),
    orgUnit: z.string().min(1).max(230).optional(),
    categoryOptionCombo: z.string().min(1).max(230).optional(),
    attributeOptionCombo: z.string().min(1).max(230).optional(),
    value: z
      .union([z.string().max(50_000), z.number(), z.boolean()])
      .nullable()
      .optional(),
    storedBy: z.string().max(255).optional(),
    created: z.string().optional(),
    lastUpdated: z.string().optional(),
    comment: z.string().max(50_000).nullable().optional(),
    followup: Bool.optional(),
    deleted: Bool.optional(),
  })
  .meta({ id: 'DataValue' });
export type DataValueInput = z.infer<typeof DataValueSchema>;

export const DataValueSetSchema = z
  .looseObject({
    dataSet: z.string().optional(),
    completeDate: z.string().optional(),
    period: z.string().optional(),
    orgUnit: z.string().optional(),
    attributeOptionCombo: z.string().optional(),
    dryRun: Bool.optional().describe('as DHIS2 reads it from the body; true makes the import a dry run whatever the query says'),
    dataValues: z.array(DataValueSchema).max(1_000_000),
  })
  .meta({ id: 'DataValueSet', description: 'DHIS2 dataValueSet (JSON); set-level period, orgUnit and attributeOptionCombo apply to every value.' });
export type DataValueSetInput = z.infer<typeof DataValueSetSchema>;

/** The text formats a dataValueSet is exchanged in (POST/GET /api/dataValueSets, `corridor import|export dhis2 --format`). */
export const DATA_VALUE_FORMATS = ['json', 'csv', 'xml', 'adx'] as const;
export type DataValueFormat = (typeof DATA_VALUE_FORMATS)[number];
/** Each format's media type, as the server reads and writes it. */
export const DATA_VALUE_MEDIA_TYPES: Record<DataValueFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  xml: 'application/xml',
  adx: 'application/adx+xml',
};

const IdScheme = z.enum(['UID', 'CODE', 'NAME', 'uid', 'code', 'name']).transform((s) => s.toUpperCase() as 'UID' | 'CODE' | 'NAME');
export type IdScheme = 'UID' | 'CODE' | 'NAME';

export const ImportOptionsSchema = z
  .object({
    dryRun: Bool.default(false),
    importStrategy: z.enum(['CREATE', 'UPDATE', 'CREATE_AND_UPDATE', 'DELETE']).default('CREATE_AND_UPDATE'),
    atomicMode: z.enum(['ALL', 'NONE']).default('ALL'),
    idScheme: IdScheme.default('UID'),
    dataElementIdScheme: IdScheme.optional(),
    orgUnitIdScheme: IdScheme.optional(),
    categoryOptionComboIdScheme: IdScheme.optional(),
  })
  .strict();
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

/** POST /api/metadata options: importMode=VALIDATE (or dryRun=true) checks and reports, and writes nothing. */
export const MetadataImportOptionsSchema = z
  .object({
    importMode: z.enum(['COMMIT', 'VALIDATE']).default('COMMIT'),
    dryRun: Bool.default(false),
  })
  .strict();
export type MetadataImportOptions = z.infer<typeof MetadataImportOptionsSchema>;

export const ImportSummarySchema = z
  .object({
    status: z.enum(['SUCCESS', 'WARNING', 'ERROR']),
    description: z.string().optional(),
    dryRun: z.boolean(),
    importCount: z.object({ imported: z.number().int(), updated: z.number().int(), ignored: z.number().int(), deleted: z.number().int() }),
    conflicts: z.array(z.object({ object: z.string(), value: z.string(), property: z.string().optional(), message: z.string() })),
  })
  .meta({ id: 'ImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummarySchema>;
export type Conflict = ImportSummary['conflicts'][number];

export const DataValueQuerySchema = z
  .object({
    dataSet: z.string().min(1).max(230).optional(),
    dataElement: z.string().min(1).max(230).optional(),
    period: z.string().min(1).max(30).optional(),
    orgUnit: z.string().min(1).max(230).optional(),
    orgUnitIdScheme: IdScheme.optional().describe('how orgUnit names the place (default: UID, else idScheme)'),
    idScheme: IdScheme.optional(),
    children: Bool.default(false),
    includeDeleted: Bool.default(false),
    limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
  })
  .strict();
export type DataValueQuery = z.infer<typeof DataValueQuerySchema>;

/** A data value as exported. */
export const DataValueOutSchema = z
  .object({
    dataElement: z.string(),
    period: z.string(),
    orgUnit: z.string(),
    categoryOptionCombo: z.string(),
    attributeOptionCombo: z.string(),
    value: z.string().nullable(),
    storedBy: z.string().nullable(),
    created: z.string(),
    lastUpdated: z.string(),
    comment: z.string().nullable(),
    followup: z.boolean(),
    deleted: z.boolean().optional(),
  })
  .meta({ id: 'DataValueOut' });
export type DataValueOut = z.infer<typeof DataValueOutSchema>;
