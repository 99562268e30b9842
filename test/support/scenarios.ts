/**
 * Fixed small scenarios shared by the reproducibility and regression-baseline tests (and by the
 * child process that re-runs one of them): changing one changes the committed baselines.
 */
import { validateScenario } from '../../src/model/scenarios/compile.js';
import type { Scenario } from '../../src/model/scenarios/scenario.schema.js';

/**
 * A home community, a mining town with sex work and a truck stop; circular miners from home,
 * truck drivers passing through, every partnership type and the care cascade at their defaults.
 * About 4,500 agents for 6 years: small enough for a test, large enough that every output (who
 * infects whom, bridged infections, HIV deaths, ART) is non-zero.
 */
export function corridorScenario(): Scenario {
  return validateScenario({
    name: 'validation corridor',
    years: 6,
    burnInYears: 2,
    seed: 20240601,
    places: [
      {
        code: 'HOME',
        name: 'Home community',
        initialPrevalence: 0.08,
        services: { testing: 0.6, artRefill: true },
        population: [
          { sex: 'F', risk: 'low', count: 1100 },
          { sex: 'F', risk: 'medium', count: 250 },
          { sex: 'M', risk: 'low', count: 600 },
          { sex: 'M', risk: 'medium', count: 150, circumcisedShare: 0.3 },
        ],
      },
      {
        code: 'MINE',
        name: 'Mining town',
        kind: 'site',
        siteType: 'mine',
        initialPrevalence: 0.15,
        services: { testing: 0.3, artRefill: false },
        population: [
          { group: 'sex_workers', sex: 'F', risk: 'high', sexWorker: true, count: 80, initialPrevalence: 0.4 },
          { sex: 'F', risk: 'medium', count: 300 },
          { sex: 'M', risk: 'medium', count: 250 },
        ],
      },
      {
        code: 'STOP',
        name: 'Truck stop',
        kind: 'transit',
        initialPrevalence: 0.12,
        population: [
          { group: 'sex_workers', sex: 'F', risk: 'high', sexWorker: true, count: 30, initialPrevalence: 0.35 },
          { sex: 'F', risk: 'medium', count: 120 },
          { sex: 'M', risk: 'medium', count: 100 },
        ],
      },
    ],
    // Marriages form faster than the default so that most adults are married when the epidemic starts.
    partnerships: { marital: { formationRatePerYear: 2 } },
    mobileGroups: [
      {
        code: 'miners',
        name: 'Miners',
        home: 'HOME',
        sex: 'M',
        count: 700,
        risk: 'high',
        pattern: { type: 'circular', destination: 'MINE', monthsAway: 5, monthsHome: 1 },
      },
      {
        code: 'drivers',
        name: 'Truck drivers',
        home: 'HOME',
        sex: 'M',
        count: 200,
        risk: 'high',
        pattern: { type: 'transport_route', route: ['STOP', 'MINE'], daysAtStop: 2, daysHome: 5 },
      },
    ],
  });
}
