import { z } from './validation.js';

/**
 * The HTTP contract of model runs (`/api/model/runs`): the request and the job as the API shows
 * it. The shapes of the results are those of `src/model/scenarios/results.ts` (the CLI's
 * `--json`); `src/model/model.service.ts` checks at compile time that the two agree.
 */

/** Most runs (seeds) one API job may ask for; the CLI allows more on the user's own machine. */
export const MAX_RUNS_PER_JOB = 100;

export const MODEL_JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ModelJobStatus = (typeof MODEL_JOB_STATUSES)[number];

export const ModelRunRequestSchema = z
  .object({
    scenario: z
      .record(z.string(), z.unknown())
      .describe('The scenario, as in a scenario file (docs/scenario-format.md); checked by the service, errors name its field path.'),
    runs: z.number().int().min(1).max(MAX_RUNS_PER_JOB).default(1).describe('Number of runs: seeds seed, seed+1, …'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional()
      .describe("The first seed (default: the scenario's)"),
  })
  .strict()
  .meta({ id: 'ModelRunRequest' });
export type ModelRunRequest = z.infer<typeof ModelRunRequestSchema>;

const Sex = z.enum(['F', 'M']);
const TYPE = z.enum(['marital', 'regular', 'casual', 'commercial']);

export const SeriesRowSchema = z
  .object({
    year: z.number(),
    place: z.string(),
    group: z.string(),
    sex: Sex,
    population: z.number(),
    plhiv: z.number(),
    infections: z.number(),
    incidencePer100py: z.number(),
    prevalence: z.number(),
    diagnosed: z.number(),
    onArt: z.number(),
    suppressed: z.number(),
    deathsHiv: z.number(),
    deathsOther: z.number(),
  })
  .meta({ id: 'ModelSeriesRow', description: 'One year of one cell: residents of a place, of one group and sex.' });

export const MatrixRowSchema = z
  .object({
    sourceGroup: z.string(),
    targetGroup: z.string(),
    place: z.string(),
    type: TYPE,
    sourceAway: z.boolean().describe('The source was away from home when transmitting.'),
    infections: z.number(),
  })
  .meta({ id: 'ModelMatrixRow' });

export const BridgedRowSchema = z
  .object({ year: z.number(), place: z.string(), sourceGroup: z.string(), infections: z.number() })
  .meta({ id: 'ModelBridgedRow', description: 'Home partners infected by a partner who acquired HIV away from home.' });

const TOTAL_KEYS = ['infections', 'bridgedInfections', 'deathsHiv', 'commercialContacts', 'finalPrevalence'] as const;

export const RunResultSchema = z
  .object({
    scenario: z.string(),
    illustrative: z.boolean(),
    seed: z.number(),
    startYear: z.number(),
    years: z.number(),
    timeStep: z.enum(['week', 'month']),
    places: z.array(z.object({ code: z.string(), name: z.string(), kind: z.string() })),
    groups: z.array(z.object({ code: z.string(), name: z.string(), mobile: z.boolean() })),
    series: z.array(SeriesRowSchema),
    whoInfectsWhom: z.array(MatrixRowSchema),
    bridged: z.array(BridgedRowSchema),
    totals: z.object(Object.fromEntries(TOTAL_KEYS.map((k) => [k, z.number()])) as Record<(typeof TOTAL_KEYS)[number], z.ZodNumber>),
  })
  .meta({ id: 'ModelRunResult', description: 'What one run (scenario × seed) produced, labelled with the scenario’s codes.' });

export const IntervalSchema = z
  .object({ mean: z.number(), lo: z.number(), hi: z.number() })
  .meta({ id: 'ModelInterval', description: 'Mean and 95% interval (2.5th and 97.5th percentiles) across runs.' });

const METRIC_KEYS = [
  'population',
  'plhiv',
  'infections',
  'incidencePer100py',
  'prevalence',
  'diagnosed',
  'onArt',
  'suppressed',
  'deathsHiv',
  'deathsOther',
] as const;

export const MultiRunResultSchema = z
  .object({
    scenario: z.string(),
    illustrative: z.boolean(),
    seeds: z.array(z.number()),
    summary: z.object({
      series: z.array(
        z.object({
          year: z.number(),
          place: z.string(),
          group: z.string(),
          sex: Sex,
          ...(Object.fromEntries(METRIC_KEYS.map((k) => [k, IntervalSchema])) as Record<(typeof METRIC_KEYS)[number], typeof IntervalSchema>),
        }),
      ),
      totals: z.object(Object.fromEntries(TOTAL_KEYS.map((k) => [k, IntervalSchema])) as Record<(typeof TOTAL_KEYS)[number], typeof IntervalSchema>),
    }),
    runs: z.array(RunResultSchema),
  })
  .meta({ id: 'ModelResults', description: 'The runs of one scenario and their summary across seeds: the document of `corridor model run --runs N --json`.' });

const RunProgressSchema = z.object({
  seed: z.number(),
  status: z.enum(MODEL_JOB_STATUSES),
  stepsDone: z.number().int().describe('Time steps simulated after burn-in (counted at the end of each simulated year)'),
  steps: z.number().int(),
});

export const ModelJobSchema = z
  .object({
    id: z.string(),
    status: z.enum(MODEL_JOB_STATUSES),
    scenario: z.string().describe("The scenario's name"),
    runs: z.number().int(),
    seeds: z.array(z.number()),
    owner: z.string().describe('Who started the run'),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    progress: z.object({ stepsDone: z.number().int(), steps: z.number().int(), runs: z.array(RunProgressSchema) }),
    error: z.object({ code: z.string(), message: z.string() }).nullable().describe('Why the run failed (status failed)'),
    results: MultiRunResultSchema.nullable().describe('The labelled results, once the status is done'),
  })
  .meta({ id: 'ModelJob', description: 'A model run started through the API: kept in the server process’s memory, lost at restart.' });
export type ModelJob = z.infer<typeof ModelJobSchema>;
