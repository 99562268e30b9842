import { ComboStructureSchema } from '../../domain/monitoring.js';
import { z } from '../../domain/validation.js';
import { OUTLIER_METHODS } from '../../monitoring/validation.service.js';
import { defineRoute } from '../route.js';

const Id = z.string().min(1).max(100);
const UnitSchema = z
  .object({
    dataSet: Id.describe('Data set id or code'),
    period: Id.describe("A DHIS2 period id of the data set's period type, e.g. 2024Q1"),
    orgUnit: Id.describe('Place id or code'),
    attributeOptionCombo: Id.optional().describe('Attribute option combo (project / partner) id or code; the default combo if absent'),
  })
  .strict()
  .meta({ id: 'ReportingUnit', description: 'A data set, period, place and attribute option combo.' });

const CellSchema = UnitSchema.extend({
  dataElement: Id,
  categoryOptionCombo: Id.optional().describe('The disaggregation; the default combo if absent'),
  value: z.string().max(50_000).nullable().describe('The value; null or "" deletes it'),
  comment: z.string().max(50_000).nullable().optional(),
  followup: z.boolean().optional(),
})
  .strict()
  .meta({ id: 'DataEntryCell' });

const RuleViolationSchema = z
  .object({
    rule: z.object({
      id: z.string(),
      code: z.string().nullable(),
      name: z.string(),
      description: z.string().nullable(),
      importance: z.string(),
      operator: z.string(),
    }),
    orgUnit: z.object({ id: z.string(), name: z.string() }),
    period: z.string(),
    attributeOptionCombo: z.string(),
    leftSide: z.object({ expression: z.string(), value: z.number().nullable() }),
    rightSide: z.object({ expression: z.string(), value: z.number().nullable() }),
  })
  .meta({ id: 'RuleViolation' });

const OutlierSchema = z
  .object({
    dataElement: z.object({ id: z.string(), name: z.string() }),
    categoryOptionCombo: z.object({ id: z.string(), name: z.string() }),
    attributeOptionCombo: z.string(),
    orgUnit: z.object({ id: z.string(), name: z.string() }),
    period: z.string(),
    value: z.number(),
    method: z.enum(['Z_SCORE', 'MOD_Z_SCORE', 'MIN_MAX']),
    score: z.number().nullable().describe('null for min-max, or when the history is constant'),
    threshold: z.number().nullable(),
    center: z.number().nullable().describe('mean (z-score) or median (modified z-score) of the other periods'),
    min: z.number().nullable(),
    max: z.number().nullable(),
    followup: z.boolean(),
  })
  .meta({ id: 'Outlier' });

const Named = z.object({ id: z.string(), name: z.string() });
const PeriodOut = z.object({ id: z.string(), startDate: z.string(), endDate: z.string() });
const UnitOut = {
  dataSet: Named.extend({ periodType: z.string() }),
  period: PeriodOut,
  orgUnit: Named,
  attributeOptionCombo: Named,
};
const ApprovalSchema = z
  .object({ dataSetId: z.string(), periodId: z.string(), placeId: z.string(), aocId: z.string(), approvedBy: z.string(), approvedAt: z.string() })
  .meta({ id: 'DataApproval' });
const CompletionSchema = z
  .object({ dataSetId: z.string(), periodId: z.string(), placeId: z.string(), aocId: z.string(), completedBy: z.string(), completedAt: z.string() })
  .meta({ id: 'CompleteRegistration' });
const json = <T extends z.ZodType>(description: string, schema: T) => ({ 200: { description, content: { 'application/json': schema } } });

/** Data entry, completeness, approval and validation (DESIGN §2.2). */
export const dataEntryRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/dataEntry/form',
    operationId: 'getDataEntryForm',
    summary: 'The data entry form of a data set for a place and period: elements, disaggregations, stored values, completion and approval',
    tags: ['monitoring'],
    query: UnitSchema,
    responses: json(
      'The form',
      z
        .object({
          ...UnitOut,
          elements: z.array(z.object({ id: z.string(), code: z.string().nullable(), name: z.string(), valueType: z.string(), categoryCombo: z.string() })),
          categoryCombos: z
            .array(ComboStructureSchema)
            .describe("The structure of each element's category combo: categories, options and category option combos"),
          values: z.array(
            z.object({
              dataElement: z.string(),
              categoryOptionCombo: z.string(),
              value: z.string().nullable(),
              comment: z.string().nullable(),
              followup: z.boolean(),
              storedBy: z.string().nullable(),
              lastUpdated: z.string(),
            }),
          ),
          completed: z.object({ by: z.string(), at: z.string() }).nullable(),
          approved: z.object({ by: z.string(), at: z.string(), placeId: z.string() }).nullable(),
          locked: z.boolean().describe('true when approved here or above: writes answer 409'),
        })
        .meta({ id: 'DataEntryForm' }),
    ),
    async handler({ query, services, actor }) {
      return services.dataEntry.form(actor, query);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/dataEntry/values',
    operationId: 'saveDataEntryCell',
    summary: "Save one cell of a data entry form (checked against the element's value type; 409 when the data is approved); answers the form's rule violations",
    tags: ['monitoring'],
    body: CellSchema,
    responses: json('Saved', z.object({ status: z.enum(['created', 'updated', 'deleted', 'unchanged']), violations: z.array(RuleViolationSchema) })),
    async handler({ body, services, actor }) {
      return services.dataEntry.saveCell(actor, body);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/completeDataSetRegistrations',
    operationId: 'completeDataSet',
    summary: 'Mark a data set complete for a place and period (completeness and timeliness count it)',
    tags: ['monitoring'],
    body: UnitSchema,
    responses: json('The registration', CompletionSchema),
    async handler({ body, services, actor }) {
      return services.dataEntry.complete(actor, body);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/completeDataSetRegistrations',
    operationId: 'uncompleteDataSet',
    summary: 'Reopen a completed data set for a place and period',
    tags: ['monitoring'],
    query: UnitSchema,
    responses: json('Reopened', z.object({ status: z.literal('reopened') })),
    async handler({ query, services, actor }) {
      await services.dataEntry.uncomplete(actor, query);
      return { status: 'reopened' as const };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/completeness',
    operationId: 'getCompleteness',
    summary:
      'Completeness and timeliness of a data set for a period over the places it is assigned to under orgUnit (one attribute option combo, or all without one)',
    tags: ['monitoring'],
    query: UnitSchema,
    responses: json(
      'Per place, with totals',
      z
        .object({
          ...UnitOut,
          attributeOptionCombo: Named.nullable().describe('null: every combo (a place counts complete with any registration)'),
          timelyDays: z.number().int(),
          expected: z.number().int(),
          completed: z.number().int(),
          onTime: z.number().int(),
          completeness: z.number().nullable().describe('percent of expected places complete'),
          timeliness: z.number().nullable().describe('percent of expected places complete on time'),
          places: z.array(
            z.object({
              place: Named,
              values: z.number().int(),
              completed: z.boolean(),
              completedBy: z.string().nullable(),
              completedAt: z.string().nullable(),
              onTime: z.boolean(),
              approved: z.boolean(),
            }),
          ),
        })
        .meta({ id: 'Completeness' }),
    ),
    async handler({ query, services, actor }) {
      return services.dataEntry.completeness(actor, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/dataApprovals',
    operationId: 'getApproval',
    summary: 'The approval state of a data set for a place and period (here, above and below)',
    tags: ['monitoring'],
    query: UnitSchema,
    responses: json(
      'The approval state',
      z
        .object({
          dataSet: Named,
          period: z.string(),
          orgUnit: Named,
          attributeOptionCombo: Named,
          approved: ApprovalSchema.nullable(),
          approvedAbove: z.array(z.object({ placeId: z.string(), placeName: z.string(), approvedBy: z.string(), approvedAt: z.string() })),
          approvedBelow: z.array(z.object({ placeId: z.string(), placeName: z.string(), approvedBy: z.string(), approvedAt: z.string() })),
          locked: z.boolean(),
        })
        .meta({ id: 'ApprovalState' }),
    ),
    async handler({ query, services, actor }) {
      return services.approvals.status(actor, query);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/dataApprovals',
    operationId: 'approveData',
    summary: 'Approve a data set for a place and period (bottom-up); its values there and below are then locked',
    tags: ['monitoring'],
    body: UnitSchema,
    responses: json('The approval', ApprovalSchema),
    async handler({ body, services, actor }) {
      return services.approvals.approve(actor, body);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/dataApprovals',
    operationId: 'unapproveData',
    summary: 'Withdraw an approval (only while nothing above it is approved)',
    tags: ['monitoring'],
    query: UnitSchema,
    responses: json('Unapproved', z.object({ status: z.literal('unapproved') })),
    async handler({ query, services, actor }) {
      await services.approvals.unapprove(actor, query);
      return { status: 'unapproved' as const };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/validation',
    operationId: 'runValidation',
    summary:
      'Run the validation rules and outlier detection for a data set, period and place (and the places below it); every attribute option combo unless one is given',
    tags: ['monitoring'],
    query: UnitSchema.extend({
      children: z.stringbool().optional().describe('Also the places below orgUnit the data set is assigned to (default true)'),
      outliers: z.enum(OUTLIER_METHODS).optional().describe('MOD_Z_SCORE (default, threshold 3.5), Z_SCORE (3), MIN_MAX (stored bounds) or NONE'),
      threshold: z.coerce.number().optional(),
    }).strict(),
    responses: json(
      'The violations and outliers',
      z
        .object({
          dataSet: Named,
          period: PeriodOut,
          orgUnit: Named,
          attributeOptionCombo: Named.nullable().describe('null: every combo'),
          places: z.number().int(),
          rulesChecked: z.number().int(),
          valuesChecked: z.number().int(),
          outlierMethod: z.string(),
          ruleViolations: z.array(RuleViolationSchema),
          outliers: z.array(OutlierSchema),
        })
        .meta({ id: 'ValidationResult' }),
    ),
    async handler({ query, services, actor }) {
      return services.validation.run(actor, query);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/minMaxValues',
    operationId: 'setMinMaxValues',
    summary: 'Set expected bounds of data elements at places (for MIN_MAX outlier detection)',
    tags: ['monitoring'],
    body: z
      .array(
        z
          .object({
            dataElement: Id,
            orgUnit: Id,
            categoryOptionCombo: Id,
            min: z.number(),
            max: z.number(),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
    responses: json('Saved', z.object({ saved: z.number().int() })),
    async handler({ body, services, actor }) {
      return services.validation.setMinMax(
        actor,
        body.map((b) => ({ de: b.dataElement, ou: b.orgUnit, coc: b.categoryOptionCombo, min: b.min, max: b.max, generated: false })),
      );
    },
  }),
];
