import { z } from '../../domain/validation.js';

/**
 * The scenario file (docs/scenario-format.md). Every model parameter has a default here, with
 * its source beside it; a scenario may override any of them.
 */

const probability = z.number().min(0).max(1);
const rate = z.number().min(0);
const positive = z.number().positive();
const code = z.string().min(1).max(50);
const sex = z.enum(['F', 'M']);
const risk = z.enum(['low', 'medium', 'high']);
type RiskCounts = { low: number; medium: number; high: number };
const perRisk = (d: RiskCounts) =>
  z
    .object({ low: rate.default(d.low), medium: rate.default(d.medium), high: rate.default(d.high) })
    .strict()
    .default(d);
const targets = (f: RiskCounts, m: RiskCounts) =>
  z
    .object({
      F: z
        .object({
          low: z.number().int().min(0).max(10).default(f.low),
          medium: z.number().int().min(0).max(10).default(f.medium),
          high: z.number().int().min(0).max(10).default(f.high),
        })
        .strict()
        .default(f),
      M: z
        .object({
          low: z.number().int().min(0).max(10).default(m.low),
          medium: z.number().int().min(0).max(10).default(m.medium),
          high: z.number().int().min(0).max(10).default(m.high),
        })
        .strict()
        .default(m),
    })
    .strict()
    .default({ F: f, M: m });

const ageBand = z
  .object({ min: z.number().min(0).max(120), max: z.number().min(0).max(120) })
  .strict()
  .refine((a) => a.max > a.min, { message: 'max must be greater than min' });

const PopulationSchema = z
  .object({
    group: code.default('general').describe('Population group code; outputs are broken down by it.'),
    sex,
    risk: risk.default('low'),
    sexWorker: z.boolean().default(false).describe('Sells sex at this place (women only).'),
    count: z.number().int().min(1).max(10_000_000),
    ageBand: ageBand.optional(),
    initialPrevalence: probability.optional().describe("Share living with HIV at the start; default: the place's."),
    circumcisedShare: probability.default(0).describe('Men: share circumcised (VMMC or traditional).'),
    testingRatePerYear: rate.optional().describe('HIV tests per person-year where testing is fully available.'),
    commercialContactsPerYear: rate.optional().describe('Men: paid sex contacts per year; default by risk group.'),
    prepCoverage: probability.default(0),
  })
  .strict();

const PlaceSchema = z
  .object({
    code,
    name: z.string().min(1).max(200),
    kind: z.enum(['home', 'site', 'transit']).default('home'),
    country: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO3 code such as KEN')
      .optional(),
    siteType: z.string().max(50).optional(),
    initialPrevalence: probability.default(0),
    services: z
      .object({
        testing: probability.default(1).describe('Availability of HIV testing, 0 (none) to 1 (full).'),
        artRefill: z.boolean().default(true).describe('ART refills available to people on treatment who are passing through.'),
      })
      .strict()
      .default({ testing: 1, artRefill: true }),
    population: z.array(PopulationSchema).default([]),
  })
  .strict();

const PatternSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('circular'),
      destination: code,
      // e.g. a miner: 11 months at the mine, 1 at home (DESIGN §5.1). Bounded: the cycle is built day by day.
      monthsAway: positive.max(120).default(11),
      monthsHome: positive.max(120).default(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('seasonal'),
      destination: code,
      monthsAway: positive.max(12).default(4),
      startMonth: z.number().int().min(1).max(12).default(6),
    })
    .strict(),
  z
    .object({
      type: z.literal('transport_route'),
      route: z.array(code).min(1).max(100),
      daysAtStop: z.union([positive.max(365), z.array(positive.max(365))]).default(2),
      daysHome: positive.max(365).default(7),
    })
    .strict(),
  z
    .object({
      type: z.literal('cross_border_trade'),
      destination: code,
      daysAway: positive.max(60).default(2),
      tripsPerMonth: positive.max(15).default(4),
    })
    .strict(),
  z
    .object({
      type: z.literal('one_way'),
      destination: code,
      returnProbabilityPerYear: probability.default(0.05),
    })
    .strict(),
]);

const MobileGroupSchema = z
  .object({
    code,
    name: z.string().min(1).max(200),
    home: code,
    sex,
    count: z.number().int().min(1).max(10_000_000),
    risk: risk.default('medium'),
    ageBand: ageBand.optional(),
    initialPrevalence: probability.optional(),
    circumcisedShare: probability.default(0),
    testingRatePerYear: rate.optional(),
    commercialContactsPerYear: rate.optional(),
    prepCoverage: probability.default(0),
    pattern: PatternSchema,
  })
  .strict();

const partnershipType = (d: {
  meanDurationYears: number;
  actsPerWeek: number;
  condomShare: number;
  formationRatePerYear: number;
  endOnLeave: number;
  targets: [female: RiskCounts, male: RiskCounts];
}) =>
  z
    .object({
      meanDurationYears: positive.default(d.meanDurationYears),
      actsPerWeek: rate.default(d.actsPerWeek),
      condomShare: probability.default(d.condomShare),
      formationRatePerYear: rate.default(d.formationRatePerYear),
      endOnLeave: probability.default(d.endOnLeave),
      targets: targets(...d.targets),
    })
    .strict()
    .prefault({});

export const ScenarioSchema = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    illustrative: z.boolean().default(true).describe('True when the numbers are illustrative, not calibrated.'),
    timeStep: z.enum(['week', 'month']).default('week'),
    years: z.number().int().min(1).max(100).default(20),
    startYear: z.number().int().min(1900).max(2200).default(2025),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    burnInYears: z.number().min(0).max(20).default(3).describe('Years of partnership formation before the epidemic clock starts.'),
    ageRange: z
      .object({ min: z.number().min(10).max(30).default(15), max: z.number().min(20).max(100).default(50) })
      .strict()
      .default({ min: 15, max: 50 }),
    groups: z.array(z.object({ code, name: z.string().min(1).max(200) }).strict()).default([]),
    places: z.array(PlaceSchema).min(1),
    mobileGroups: z.array(MobileGroupSchema).default([]),
    partnerships: z
      .object({
        // Assumed behaviour for East/Southern Africa; scenario authors calibrate these.
        marital: partnershipType({
          meanDurationYears: 20,
          actsPerWeek: 1.5, // ~6 per month among cohabiting couples (Rakai, Wawer 2005)
          condomShare: 0.05,
          formationRatePerYear: 1, // assumption: single adults marry after ~1 year of seeking
          endOnLeave: 0, // DESIGN §5.2: a marital partnership is kept (paused) while a partner is away
          targets: [
            { low: 1, medium: 1, high: 0 },
            { low: 1, medium: 1, high: 1 },
          ],
        }),
        regular: partnershipType({
          meanDurationYears: 1.5,
          actsPerWeek: 1,
          condomShare: 0.25,
          formationRatePerYear: 2,
          endOnLeave: 0.3,
          targets: [
            { low: 0, medium: 1, high: 1 },
            { low: 0, medium: 1, high: 2 },
          ],
        }),
        casual: partnershipType({
          meanDurationYears: 0.1,
          actsPerWeek: 1,
          condomShare: 0.4,
          formationRatePerYear: 6,
          endOnLeave: 1,
          targets: [
            { low: 0, medium: 0, high: 2 },
            { low: 0, medium: 1, high: 2 },
          ],
        }),
        commercial: z
          .object({
            contactsPerYear: perRisk({ low: 0, medium: 2, high: 12 }).describe("Men's paid sex contacts per year by risk group."),
            actsPerContact: positive.default(1),
            condomShare: probability.default(0.6),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    parameters: z
      .object({
        transmission: z
          .object({
            betaMaleToFemale: probability.default(0.003), // Boily et al. 2009, Lancet Infect Dis (low-income estimate)
            betaFemaleToMale: probability.default(0.0038), // Boily et al. 2009 (low-income estimate)
            betaReceptiveAnal: probability.default(0.0138), // Patel et al. 2014, AIDS (138 per 10,000); kept for MSM networks, not yet used
            acuteMultiplier: positive.default(8), // Bellan 2015 (5.3); Hollingsworth 2008 (26 for 2.9 months); 8× is DESIGN's central value
            acuteMonths: positive.default(3), // Hollingsworth 2008 (2.9 months)
            lateMultiplier: positive.default(7), // Hollingsworth 2008
            lateMonths: positive.default(10), // Hollingsworth 2008: the last 10 months before death
            suppressedMultiplier: probability.default(0.04), // HPTN 052, Cohen 2011 (96% reduction)
            condomEfficacy: probability.default(0.8), // Weller & Davis, Cochrane review
            circumcisionMultiplier: probability.default(0.4), // pooled trials: Orange Farm, Kisumu, Rakai (60% reduction)
            prepEfficacy: probability.default(0.86), // Partners PrEP / iPrEx; Donnell 2014 (88–91% when drug detectable)
            prepAdherence: probability.default(0.7), // assumption; efficacy applies as 0.86 × adherence (DESIGN §5.3)
            stiCofactor: positive.default(5.3), // Boily 2009 (genital ulcer disease)
            stiPrevalence: probability.default(0), // cofactor off by default (DESIGN §5.3)
          })
          .strict()
          .prefault({}),
        history: z
          .object({
            // Todd et al. 2007, AIDS 21 Suppl 6 (ALPHA network): median survival ≈ 11 years from
            // infection at 25–29 without ART; Weibull shape 2.25 as fitted in CASCADE-type analyses.
            survivalMedianYears: positive.default(11),
            survivalShape: positive.default(2.25),
          })
          .strict()
          .prefault({}),
        care: z
          .object({
            testingRatePerYear: rate.default(0.3), // assumption: ~30% of adults test each year (DHS/PHIA range for East Africa)
            linkProbability: probability.default(0.8), // Fox & Rosen 2015 review: ~70–80% linked after diagnosis
            suppressionMonths: positive.default(6), // DESIGN §5.3: viral suppression ~6 months after ART start
            interruptionRatePerYear: rate.default(0.1), // Fox & Rosen 2015: ~80% retained at 24 months
            interruptionMultiplierNoRefill: positive.default(3), // assumption: no refill where a mobile person is (DESIGN §5.3)
            restartRatePerYear: rate.default(0.5), // assumption
            initialDiagnosedShare: probability.default(0.7), // assumption for illustrative starts
            initialOnArtShare: probability.default(0.8), // of the diagnosed; assumption
          })
          .strict()
          .prefault({}),
        demography: z
          .object({
            backgroundMortalityPerYear: rate.max(1).default(0.005), // WHO life tables, East Africa, ages 15–49 excluding HIV (~5 per 1000)
          })
          .strict()
          .prefault({}),
        mixing: z
          .object({
            ageGapMeanYears: z.number().min(-20).max(30).default(5), // men older: mean gap ~5 years (DHS spousal age gaps)
            ageGapSdYears: positive.default(5),
            assortativity: probability.default(0.5), // assumption: half of cross-risk matches refused
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
