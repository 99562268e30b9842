import type { ScenarioInput } from './scenario.schema.js';

/**
 * A synthetic world of about `agents` people for benchmarks: 20 home communities, 10 sites with
 * sex work, and 15% mobile workers (circular labour, transport routes, seasonal, cross-border
 * trade), with all partnership types and the care cascade on: the full model, not a toy.
 */
export function benchScenario(agents: number, years: number): ScenarioInput {
  const homes = 20;
  const sites = 10;
  const mobileShare = 0.15;
  const perHome = Math.max(4, Math.floor((agents * (1 - mobileShare) * 0.85) / homes));
  const perSite = Math.max(2, Math.floor((agents * (1 - mobileShare) * 0.15) / sites));
  const mobile = Math.max(4, agents - perHome * homes - perSite * sites);
  const share = (n: number, f: number) => Math.max(1, Math.round(n * f));
  const places: NonNullable<ScenarioInput['places']> = [];
  for (let h = 0; h < homes; h++) {
    places.push({
      code: `H${h}`,
      name: `Home community ${h + 1}`,
      initialPrevalence: 0.04 + 0.002 * h,
      services: { testing: 0.5 + 0.02 * h, artRefill: true },
      population: [
        { sex: 'F', risk: 'low', count: share(perHome, 0.4) },
        { sex: 'F', risk: 'medium', count: share(perHome, 0.1) },
        { sex: 'M', risk: 'low', count: share(perHome, 0.38) },
        { sex: 'M', risk: 'medium', count: share(perHome, 0.12), circumcisedShare: 0.5 },
      ],
    });
  }
  for (let s = 0; s < sites; s++) {
    places.push({
      code: `S${s}`,
      name: `Site ${s + 1}`,
      kind: 'site',
      initialPrevalence: 0.1,
      services: { testing: 0.3, artRefill: s % 2 === 0 },
      population: [
        { group: 'sex_workers', sex: 'F', risk: 'high', sexWorker: true, count: share(perSite, 0.2), initialPrevalence: 0.3 },
        { sex: 'F', risk: 'medium', count: share(perSite, 0.4) },
        { sex: 'M', risk: 'medium', count: share(perSite, 0.4) },
      ],
    });
  }
  const mobileGroups: NonNullable<ScenarioInput['mobileGroups']> = [];
  const perGroup = Math.max(1, Math.floor(mobile / 40));
  for (let k = 0; k < 40; k++) {
    const home = `H${k % homes}`;
    const site = `S${k % sites}`;
    const kind = k % 4;
    mobileGroups.push({
      code: `M${k}`,
      name: `Mobile group ${k + 1}`,
      home,
      sex: 'M',
      count: perGroup,
      risk: 'medium',
      pattern:
        kind === 0
          ? { type: 'circular', destination: site, monthsAway: 11, monthsHome: 1 }
          : kind === 1
            ? { type: 'transport_route', route: [site, `S${(k + 3) % sites}`, `S${(k + 6) % sites}`], daysAtStop: 2, daysHome: 7 }
            : kind === 2
              ? { type: 'seasonal', destination: site, monthsAway: 4, startMonth: 6 }
              : { type: 'cross_border_trade', destination: site, daysAway: 2, tripsPerMonth: 4 },
    });
  }
  return { name: `Benchmark world (${agents} agents)`, illustrative: true, years, timeStep: 'week', seed: 1, places, mobileGroups };
}
