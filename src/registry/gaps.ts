import type { Gap, ServiceType } from '../domain/registry.js';
import type { NeedRule } from '../store/reference.repository.js';

/** The services a population group needs, by the need rules (a rule matches every group, a category, or one option). */
export function needsOf(options: Record<string, string>, rules: NeedRule[]): ServiceType[] {
  const needs = new Set<string>();
  for (const r of rules) {
    const matches = r.category === null || (r.category in options && (r.option === null || options[r.category] === r.option));
    if (matches) needs.add(r.service);
  }
  return [...needs] as ServiceType[];
}

/**
 * The gaps of a site: for each population present (high estimate above 0), each service it needs
 * that the site lacks (`missing`) or has only partly (`partial`). Services nearby count as present.
 */
export function gapsOf(
  populations: { group: string; groupName: string; sizeHigh: number }[],
  services: { service: string; availability: 'none' | 'partial' | 'full' }[],
  groupOptions: Map<string, Record<string, string>>,
  rules: NeedRule[],
  serviceNames: Map<string, string>,
): Gap[] {
  const availability = new Map(services.map((s) => [s.service, s.availability]));
  const gaps: Gap[] = [];
  for (const p of populations) {
    if (p.sizeHigh <= 0) continue;
    for (const service of needsOf(groupOptions.get(p.group) ?? {}, rules)) {
      const a = availability.get(service) ?? 'none';
      if (a === 'full') continue;
      gaps.push({
        group: p.group,
        groupName: p.groupName,
        service,
        serviceName: serviceNames.get(service) ?? service,
        severity: a === 'partial' ? 'partial' : 'missing',
      });
    }
  }
  return gaps;
}
