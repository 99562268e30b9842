import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError, describeIssues, invalidInput, type Issue } from '../domain/errors.js';
import { SitePopulationsInputSchema, SiteRecordSchema, SiteServicesInputSchema } from '../domain/registry.js';
import { labelIssues } from '../domain/validation.js';
import type { BBox, Place } from '../domain/place.js';
import type { Site, SiteDetail, SiteFileFormat, SiteInput, SitePopulationInput, SiteQuery, SiteRecord, SiteServiceInput } from '../domain/registry.js';
import { toCsv } from '../lib/csv.js';
import { codeWords } from '../lib/text.js';
import type { TextFile } from '../lib/text.js';
import { newUid } from '../lib/uid.js';
import type { AuditEntry, Repositories, Store } from '../store/index.js';
import type { PopulationRow, ServiceRow } from '../store/site.repository.js';
import { gapsOf } from './gaps.js';
import { parseSiteCsv, parseSiteGeoJson, SITE_CSV_COLUMNS } from './site-import.js';

/** Place lookups an import repeats for many rows (countries, admin areas, codes), each asked once. */
class Lookups {
  private readonly codes = new Map<string, Promise<Place | null>>();
  private readonly paths = new Map<string, Promise<string | null>>();
  private readonly inside = new Map<string, Promise<boolean>>();
  constructor(private readonly repos: Repositories) {}

  /** Fills the code cache with one query for many codes (those not found are remembered as absent). */
  async preload(codes: string[]): Promise<void> {
    const found = new Map((await this.repos.places.findByCodes(codes)).map((p) => [p.code!, p]));
    for (const c of codes) this.codes.set(c, Promise.resolve(found.get(c) ?? null));
  }

  byCode(code: string): Promise<Place | null> {
    let p = this.codes.get(code);
    if (!p) this.codes.set(code, (p = this.repos.places.findByCode(code)));
    return p;
  }

  path(id: string): Promise<string | null> {
    let p = this.paths.get(id);
    if (!p) this.paths.set(id, (p = this.repos.places.pathOf(id)));
    return p;
  }

  within(id: string, ancestorId: string): Promise<boolean> {
    const k = `${id}/${ancestorId}`;
    let p = this.inside.get(k);
    if (!p) this.inside.set(k, (p = this.repos.places.isWithin(id, ancestorId)));
    return p;
  }
}

/** How far (degrees) a site may lie outside its country's bounding box: borders and coasts are ragged. */
const BBOX_MARGIN = 0.5;

/** HXL hashtags of the site export (DESIGN §4; data/indicators/hxl_hashtags_hiv_mobility.csv). */
const HXL_COLUMNS: [header: string, tag: string][] = [
  ['Site code', '#loc+code'],
  ['Site name', '#loc+name'],
  ['Site type', '#loc+type'],
  ['Country', '#country+code'],
  ['Admin area', '#adm1+code'],
  ['Latitude', '#geo+lat'],
  ['Longitude', '#geo+lon'],
  ['Assessment date', '#date+reported'],
  ['Population (low)', '#population+min'],
  ['Population (high)', '#population+max'],
  ['Population (estimate)', '#population'],
  ['Services available', '#service+name'],
  ['Illustrative', '#meta+illustrative'],
];

/** Rules of sites: listing, profiles with gaps, edits, and atomic imports; every write audited. */
export class SiteService {
  constructor(private readonly store: Store) {}

  private async countryId(repos: Repositories, iso3: string | undefined): Promise<string | undefined> {
    if (!iso3) return undefined;
    const c = await repos.places.findByCode(iso3);
    if (!c || c.level !== 'country')
      throw new AppError('VALIDATION_FAILED', `country "${iso3}": no such country`, [{ field: 'country', value: iso3, message: 'no such country' }]);
    return c.id;
  }

  /** A page of sites matching the query. */
  async list(actor: Actor, q: Omit<SiteQuery, 'format'>): Promise<{ items: Site[]; total: number; limit: number; offset: number }> {
    authorize(actor, 'registry:read');
    const { items, total } = await this.store.repos.sites.list({
      ...q,
      countryId: await this.countryId(this.store.repos, q.country),
      withinPaths: actor.scopePaths,
    });
    return { items, total, limit: q.limit, offset: q.offset };
  }

  /** One site's profile: populations with low–high estimates, services and gaps. */
  async get(actor: Actor, id: string): Promise<SiteDetail> {
    authorize(actor, 'registry:read');
    const [detail] = await this.details([await this.visibleSite(this.store.repos, actor, id)]);
    return detail!;
  }

  /** The site when it exists within the actor's scope; NOT_FOUND otherwise (a site elsewhere is not revealed). */
  private async visibleSite(repos: Repositories, actor: Actor, id: string): Promise<Site & { path: string }> {
    const site = await repos.sites.get(id);
    const path = site ? await repos.places.pathOf(id) : null;
    if (!site || !path || !inScope(actor, path)) throw new AppError('NOT_FOUND', `no site has id "${id}"`, { id });
    return { ...site, path };
  }

  private async details(sites: Site[]): Promise<SiteDetail[]> {
    const repos = this.store.repos;
    const ids = sites.map((s) => s.id);
    const [pops, services, groups, rules, serviceTypes] = await Promise.all([
      repos.sites.populations(ids),
      repos.sites.services(ids),
      repos.reference.groups(),
      repos.reference.needRules(),
      repos.reference.serviceTypes(),
    ]);
    const countries = new Map<string, string>();
    for (const s of sites) {
      if (!countries.has(s.country)) countries.set(s.country, (await repos.places.findByCode(s.country))?.name ?? s.country);
    }
    const groupOptions = new Map(groups.map((g) => [g.code, g.options]));
    const serviceNames = new Map(serviceTypes.map((t) => [t.code, t.name]));
    const bySite = <T extends { siteId: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) (m.get(r.siteId) ?? m.set(r.siteId, []).get(r.siteId)!).push(r);
      return m;
    };
    const popsBySite = bySite<PopulationRow>(pops);
    const servicesBySite = bySite<ServiceRow>(services);
    return sites.map((site) => {
      const populations = (popsBySite.get(site.id) ?? []).map(({ siteId: _s, ...p }) => ({ ...p, sizeEstimate: (p.sizeLow + p.sizeHigh) / 2 }));
      const siteServices = (servicesBySite.get(site.id) ?? []).map(({ siteId: _s, ...s }) => ({ ...s, serviceName: serviceNames.get(s.service) ?? s.service }));
      const sizeLow = populations.reduce((a, p) => a + p.sizeLow, 0);
      const sizeHigh = populations.reduce((a, p) => a + p.sizeHigh, 0);
      return {
        ...site,
        countryName: countries.get(site.country)!,
        populations,
        services: siteServices,
        gaps: gapsOf(populations, siteServices, groupOptions, rules, serviceNames),
        // Area totals: sums of lows and of highs, the estimate their midpoint (programmatic mapping).
        totals: { sizeLow, sizeHigh, sizeEstimate: (sizeLow + sizeHigh) / 2 },
      };
    });
  }

  /**
   * Size estimates summed over the sites matching the query, per population group and overall:
   * the sums of the lows and of the highs, the point estimate their midpoint (programmatic mapping).
   */
  async populationTotals(actor: Actor, q: Omit<SiteQuery, 'format'>) {
    const page = await this.list(actor, { ...q, limit: 1_000_000, offset: 0 });
    const rows = await this.store.repos.sites.populations(page.items.map((site) => site.id));
    const byGroup = new Map<string, { group: string; groupName: string; sizeLow: number; sizeHigh: number; sites: number }>();
    for (const r of rows) {
      const g = byGroup.get(r.group) ?? { group: r.group, groupName: r.groupName, sizeLow: 0, sizeHigh: 0, sites: 0 };
      g.sizeLow += r.sizeLow;
      g.sizeHigh += r.sizeHigh;
      g.sites++;
      byGroup.set(r.group, g);
    }
    const groups = [...byGroup.values()].map((g) => ({ ...g, sizeEstimate: (g.sizeLow + g.sizeHigh) / 2 })).sort((a, b) => b.sizeEstimate - a.sizeEstimate);
    const sizeLow = groups.reduce((a, g) => a + g.sizeLow, 0);
    const sizeHigh = groups.reduce((a, g) => a + g.sizeHigh, 0);
    return { sites: page.total, groups, total: { sizeLow, sizeHigh, sizeEstimate: (sizeLow + sizeHigh) / 2 } };
  }

  /** Sites matching the query as GeoJSON points, with population totals and gap counts. */
  async featureCollection(actor: Actor, q: Omit<SiteQuery, 'format'>) {
    const page = await this.list(actor, q);
    const details = await this.details(page.items);
    return {
      type: 'FeatureCollection' as const,
      features: details.map((d) => {
        const { populations: _p, services: _s, gaps, countryName: _c, ...site } = d;
        return {
          type: 'Feature' as const,
          id: d.id,
          geometry: { type: 'Point' as const, coordinates: [d.longitude, d.latitude] },
          properties: { ...site, gapCount: gaps.length },
        };
      }),
      total: page.total,
      limit: page.limit,
      offset: page.offset,
    };
  }

  /**
   * Sites matching the query as a file (`corridor sites export`, GET /api/sites?format=hxl|csv):
   * GeoJSON points with every field, populations and services (what `importText` reads back),
   * HXL-tagged CSV, or the plain CSV columns of the import.
   */
  async exportText(actor: Actor, q: Omit<SiteQuery, 'format'>, format: SiteFileFormat): Promise<TextFile> {
    authorize(actor, 'registry:read');
    switch (format) {
      case 'geojson': {
        const features = (await this.exportRecords(actor, q)).map(({ id, latitude, longitude, ...r }) => ({
          type: 'Feature',
          id,
          geometry: { type: 'Point', coordinates: [longitude, latitude] },
          properties: r,
        }));
        return {
          contentType: 'application/geo+json',
          filename: 'sites.geojson',
          text: JSON.stringify({ type: 'FeatureCollection', features }, null, 1) + '\n',
        };
      }
      case 'hxl':
        return { contentType: 'text/csv; charset=utf-8', filename: 'sites.hxl.csv', text: await this.hxl(actor, q) };
      case 'csv':
        return { contentType: 'text/csv; charset=utf-8', filename: 'sites.csv', text: await this.csv(actor, q) };
    }
  }

  /**
   * Imports sites from a file's text: GeoJSON points, or CSV with the export's columns (an HXL
   * export too: its hashtag row names the columns, so `hxl` and `csv` read alike). All or
   * nothing; every bad row is named by line (CSV) or feature number, field and value.
   */
  async importText(
    actor: Actor,
    input: { format: SiteFileFormat; text: string; source: string },
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ created: number; updated: number }> {
    authorize(actor, 'registry:import');
    const geojson = input.format === 'geojson';
    const records = geojson ? parseSiteGeoJson(input.text) : parseSiteCsv(input.text);
    return this.import(actor, records, { source: input.source, unit: geojson ? 'feature' : 'line', ...(onProgress ? { onProgress } : {}) });
  }

  /** HXL-tagged CSV: a header row, then the HXL hashtag row, then one row per site. */
  private async hxl(actor: Actor, q: Omit<SiteQuery, 'format'>): Promise<string> {
    const details = await this.details((await this.list(actor, q)).items);
    const rows = await Promise.all(
      details.map(async (d) => {
        const parent = d.parentId ? await this.store.repos.places.findById(d.parentId) : null;
        return [
          d.code,
          d.name,
          d.type,
          d.country,
          parent && parent.level !== 'country' ? parent.code : '',
          d.latitude,
          d.longitude,
          d.assessmentDate ?? '',
          d.totals.sizeLow,
          d.totals.sizeHigh,
          d.totals.sizeEstimate,
          d.services
            .filter((s) => s.availability !== 'none')
            .map((s) => s.service)
            .join(' '),
          d.illustrative ? 'yes' : 'no',
        ];
      }),
    );
    return toCsv(
      HXL_COLUMNS.map(([h]) => h),
      [HXL_COLUMNS.map(([, t]) => t), ...rows],
    );
  }

  /** Plain CSV of the sites' own fields, as `corridor sites import` reads it. */
  private async csv(actor: Actor, q: Omit<SiteQuery, 'format'>): Promise<string> {
    const records = await this.exportRecords(actor, q);
    const yn = (b: boolean | null) => (b === null ? '' : b ? 'yes' : 'no');
    return toCsv(
      [...SITE_CSV_COLUMNS],
      records.map((r) => [
        r.code,
        r.name,
        r.type,
        r.country,
        r.parentCode ?? '',
        r.latitude,
        r.longitude,
        r.operatingDays ?? '',
        r.operatingHours ?? '',
        r.assessmentDate ?? '',
        r.source ?? '',
        r.notes ?? '',
        r.illustrative ? 'yes' : 'no',
        yn(r.venue.alcoholOnSite),
        yn(r.venue.sexOnSite),
        yn(r.venue.transactionalSexReported),
        yn(r.venue.condomsAvailableAtVisit),
      ]),
    );
  }

  /** Whole sites (fields, populations, services) as files carry them. */
  private async exportRecords(actor: Actor, q: Omit<SiteQuery, 'format'>): Promise<(SiteRecord & { id: string })[]> {
    // Records carry their admin area's name so that a file imports into a directory without it.
    const details = await this.details((await this.list(actor, q)).items);
    const parents = new Map<string, Place | null>();
    for (const d of details) if (!parents.has(d.parentId)) parents.set(d.parentId, await this.store.repos.places.findById(d.parentId));
    return details.map((d) => {
      const parent = parents.get(d.parentId);
      return {
        id: d.id,
        code: d.code,
        name: d.name,
        type: d.type,
        country: d.country,
        ...(parent && parent.level !== 'country' && parent.code ? { parentCode: parent.code, parentName: parent.name } : {}),
        latitude: d.latitude,
        longitude: d.longitude,
        ...(d.operatingDays ? { operatingDays: d.operatingDays } : {}),
        ...(d.operatingHours ? { operatingHours: d.operatingHours } : {}),
        venue: d.venue,
        ...(d.assessmentDate ? { assessmentDate: d.assessmentDate } : {}),
        ...(d.source ? { source: d.source } : {}),
        ...(d.notes ? { notes: d.notes } : {}),
        illustrative: d.illustrative,
        populations: d.populations.map((p) => ({
          group: p.group,
          sizeLow: p.sizeLow,
          sizeHigh: p.sizeHigh,
          ...(p.estimateDate ? { estimateDate: p.estimateDate } : {}),
          ...(p.source ? { source: p.source } : {}),
        })),
        services: d.services.map((s) => ({
          service: s.service,
          availability: s.availability,
          ...(s.hours ? { hours: s.hours } : {}),
          ...(s.costToUser ? { costToUser: s.costToUser } : {}),
          languages: s.languages,
          servesUndocumented: s.servesUndocumented,
          onSite: s.onSite,
        })),
      };
    });
  }

  /** The place if the actor may see it (countries are public), else null. */
  private async visiblePlace(repos: Repositories, actor: Actor, place: Place | null, cache?: Lookups): Promise<Place | null> {
    if (!place || place.level === 'country' || actor.scopePaths === null) return place;
    const path = cache ? await cache.path(place.id) : await repos.places.pathOf(place.id);
    return path && inScope(actor, path) ? place : null;
  }

  /**
   * Checks where a site is (country, admin area, coordinates inside the country, a free code, the
   * caller's scope), reading only, through `cache` when given (an import checks many rows).
   * An admin area named with `parentName` that does not exist yet comes back as `create`.
   */
  private async locate(
    repos: Repositories,
    actor: Actor,
    input: SiteInput & { parentName?: string | undefined },
    existing: Site | null,
    path = '',
    cache: Lookups = new Lookups(repos),
  ): Promise<{ issues: Issue[]; country: Place | null; parent: Place | null; parentPath: string | null; create: { code: string; name: string } | null }> {
    const issues: Issue[] = [];
    const at = (f: string) => (path ? `${path}.${f}` : f);
    const country = await cache.byCode(input.country);
    if (!country || country.level !== 'country') issues.push({ field: at('country'), value: input.country, message: 'is not a known country' });
    let parent: Place | null = country;
    let create: { code: string; name: string } | null = null;
    // An edit that does not name the admin area keeps the site where it is (within its country).
    if (!input.parentCode && existing && country && existing.parentId !== country.id) {
      const current = await repos.places.findById(existing.parentId);
      if (current && (await repos.places.isWithin(current.id, country.id))) parent = current;
    }
    if (input.parentCode && country) {
      // An admin area outside the caller's scope is reported as unknown: its code is not theirs to learn.
      parent = await this.visiblePlace(repos, actor, await cache.byCode(input.parentCode), cache);
      if (!parent && input.parentName) create = { code: input.parentCode, name: input.parentName };
      else if (!parent) issues.push({ field: at('parentCode'), value: input.parentCode, message: 'is not the code of a known place' });
      else if (parent.level === 'site' || !(await cache.within(parent.id, country.id))) {
        issues.push({ field: at('parentCode'), value: input.parentCode, message: `is not an admin area of ${input.country}` });
      }
    }
    if (country?.bbox) {
      const [minLon, minLat, maxLon, maxLat] = country.bbox as BBox;
      if (input.latitude < minLat - BBOX_MARGIN || input.latitude > maxLat + BBOX_MARGIN) {
        issues.push({ field: at('latitude'), value: input.latitude, message: `lies outside ${country.name} (${minLat.toFixed(2)} to ${maxLat.toFixed(2)})` });
      }
      if (input.longitude < minLon - BBOX_MARGIN || input.longitude > maxLon + BBOX_MARGIN) {
        issues.push({ field: at('longitude'), value: input.longitude, message: `lies outside ${country.name} (${minLon.toFixed(2)} to ${maxLon.toFixed(2)})` });
      }
    }
    if (input.code) {
      const holder = await cache.byCode(input.code);
      if (holder && holder.id !== existing?.id) {
        // Name the holder only to someone who may see it; otherwise say no more than that the code is taken.
        const seen = await this.visiblePlace(repos, actor, holder, cache);
        issues.push({
          field: at('code'),
          value: input.code,
          message: seen ? `is already the code of ${seen.level} "${seen.name}"` : 'cannot be used; choose another',
        });
      }
    }
    const parentPath = issues.length === 0 ? await cache.path((create ? country : parent)!.id) : null;
    if (parentPath && !inScope(actor, parentPath)) {
      throw new AppError('FORBIDDEN', `${input.parentCode ?? input.country} is outside your scope`, { field: at('country') });
    }
    return { issues, country, parent: create ? null : parent, parentPath: create ? null : parentPath, create };
  }

  /** Checks where a site is and writes it. */
  /**
   * A code for a new site, readable and unique: the country and the name ("UGA-MALABA-BORDER-POST"),
   * with "-2", "-3", … when another place holds it; a name without letters or digits gets a random one.
   */
  private async freeCode(repos: Repositories, country: string, name: string): Promise<string> {
    const words = codeWords(name);
    if (!words) return `${country}-${newUid()}`;
    const base = `${country}-${words}`;
    for (let n = 1; n < 1000; n++) {
      const code = n === 1 ? base : `${base}-${n}`;
      if (!(await repos.places.findByCode(code))) return code;
    }
    return `${base}-${newUid()}`;
  }

  private async write(
    repos: Repositories,
    actor: Actor,
    input: SiteInput & { parentName?: string | undefined },
    existing: Site | null,
    path = '',
  ): Promise<{ site: Site; before: Site | null; path: string }> {
    const located = await this.locate(repos, actor, input, existing, path);
    if (located.issues.length > 0) throw invalidInput('site', labelIssues(SiteRecordSchema, located.issues));
    const country = located.country;
    let parent = located.parent;
    if (located.create) {
      // A site file may carry its admin area (the export does): create it under the country.
      parent = (await repos.places.upsert({ code: located.create.code, name: located.create.name, level: 'admin1', parentId: country!.id, geometry: null }))
        .place;
    }
    const code = input.code ?? existing?.code ?? (await this.freeCode(repos, input.country, input.name));
    const { place } = await repos.places.upsert({
      ...(existing ? { id: existing.id } : {}),
      code,
      name: input.name,
      level: 'site',
      parentId: parent!.id,
      geometry: { type: 'Point', coordinates: [input.longitude, input.latitude] },
      source: input.source ?? null,
    });
    await repos.sites.save(place.id, {
      type: input.type,
      countryId: country!.id,
      latitude: input.latitude,
      longitude: input.longitude,
      operatingDays: input.operatingDays ?? null,
      operatingHours: input.operatingHours ?? null,
      venue: input.venue,
      assessmentDate: input.assessmentDate ?? null,
      source: input.source ?? null,
      notes: input.notes ?? null,
      illustrative: input.illustrative,
    });
    return { site: (await repos.sites.get(place.id))!, before: existing, path: (await repos.places.pathOf(place.id))! };
  }

  private async writePopulations(repos: Repositories, siteId: string, rows: SitePopulationInput[], path: string): Promise<void> {
    const issues: Issue[] = [];
    const seen = new Set<string>();
    const resolved: (SitePopulationInput & { groupId: string })[] = [];
    for (const [k, r] of rows.entries()) {
      const group = await repos.reference.groupByCode(r.group);
      if (!group) issues.push({ field: `${path}${k}.group`, value: r.group, message: 'is not the code of a known population group' });
      else if (seen.has(r.group)) issues.push({ field: `${path}${k}.group`, value: r.group, message: 'is listed twice' });
      else resolved.push({ ...r, groupId: group.id });
      seen.add(r.group);
    }
    if (issues.length > 0) throw invalidInput('site', labelIssues(path ? SiteRecordSchema : SitePopulationsInputSchema, issues));
    await repos.sites.replacePopulations(siteId, resolved);
  }

  private async writeServices(repos: Repositories, siteId: string, rows: SiteServiceInput[], path: string): Promise<void> {
    const seen = new Set<string>();
    const issues: Issue[] = [];
    rows.forEach((r, k) => {
      if (seen.has(r.service)) issues.push({ field: `${path}${k}.service`, value: r.service, message: 'is listed twice' });
      seen.add(r.service);
    });
    if (issues.length > 0) throw invalidInput('site', labelIssues(path ? SiteRecordSchema : SiteServicesInputSchema, issues));
    await repos.sites.replaceServices(siteId, rows);
  }

  /** Creates a site. */
  async create(actor: Actor, input: SiteInput): Promise<Site> {
    authorize(actor, 'registry:write');
    return this.store.transaction(async (repos) => {
      const { site, path } = await this.write(repos, actor, input, null);
      await repos.audit.append([{ actor: actor.label, action: 'create', objectType: 'site', objectId: site.id, after: site, placePath: path }]);
      return site;
    });
  }

  /** Replaces a site's fields. */
  async update(actor: Actor, id: string, input: SiteInput): Promise<Site> {
    authorize(actor, 'registry:write');
    return this.store.transaction(async (repos) => {
      const { path: _p, ...existing } = await this.visibleSite(repos, actor, id);
      const { site, path } = await this.write(repos, actor, input, existing);
      await repos.audit.append([{ actor: actor.label, action: 'update', objectType: 'site', objectId: id, before: existing, after: site, placePath: path }]);
      return site;
    });
  }

  /** Deletes a site that no corridor or flow names. */
  async delete(actor: Actor, id: string): Promise<void> {
    authorize(actor, 'registry:write');
    await this.store.transaction(async (repos) => {
      const { path, ...existing } = await this.visibleSite(repos, actor, id);
      const refs = await repos.sites.references(id);
      if (refs.corridors.length > 0 || refs.flows > 0) {
        // Named as people know them (the corridor "Northern Corridor"); the codes stay in the details.
        const names = refs.corridors.map((c) => `“${c.name}”`);
        const corridors = names.length === 0 ? '' : `the ${names.length === 1 ? 'corridor' : 'corridors'} ${names.join(', ')}`;
        const flows = refs.flows === 0 ? '' : `${refs.flows} ${refs.flows === 1 ? 'flow record' : 'flow records'}`;
        throw new AppError(
          'CONFLICT',
          `the site “${existing.name}” is still used by ${[corridors, flows].filter(Boolean).join(' and ')}; remove it there first`,
          // The corridors with their ids, so that a face can link to each (the web app's /corridors/{id}).
          { code: existing.code, corridors: refs.corridors, flows: refs.flows },
        );
      }
      await repos.sites.delete(id);
      await repos.audit.append([{ actor: actor.label, action: 'delete', objectType: 'site', objectId: id, before: existing, placePath: path }]);
    });
  }

  /** Replaces the populations counted at a site. */
  async setPopulations(actor: Actor, id: string, rows: SitePopulationInput[]): Promise<SiteDetail> {
    authorize(actor, 'registry:write');
    await this.store.transaction(async (repos) => {
      const { path } = await this.visibleSite(repos, actor, id);
      const before = await repos.sites.populations([id]);
      await this.writePopulations(repos, id, rows, '');
      await repos.audit.append([{ actor: actor.label, action: 'update', objectType: 'site-populations', objectId: id, before, after: rows, placePath: path }]);
    });
    return this.get(actor, id);
  }

  /** Replaces the services recorded at a site. */
  async setServices(actor: Actor, id: string, rows: SiteServiceInput[]): Promise<SiteDetail> {
    authorize(actor, 'registry:write');
    await this.store.transaction(async (repos) => {
      const { path } = await this.visibleSite(repos, actor, id);
      const before = await repos.sites.services([id]);
      await this.writeServices(repos, id, rows, '');
      await repos.audit.append([{ actor: actor.label, action: 'update', objectType: 'site-services', objectId: id, before, after: rows, placePath: path }]);
    });
    return this.get(actor, id);
  }

  /** An existing site updated with only the fields a file gives (the others are kept). */
  private async merge(repos: Repositories, existing: Site, record: SiteRecord, fields: string[]): Promise<SiteRecord> {
    const parent = await repos.places.findById(existing.parentId);
    const base: SiteRecord = {
      code: existing.code,
      name: existing.name,
      type: existing.type,
      country: existing.country,
      ...(parent && parent.level !== 'country' && parent.code ? { parentCode: parent.code } : {}),
      latitude: existing.latitude,
      longitude: existing.longitude,
      ...(existing.operatingDays ? { operatingDays: existing.operatingDays } : {}),
      ...(existing.operatingHours ? { operatingHours: existing.operatingHours } : {}),
      venue: { ...existing.venue },
      ...(existing.assessmentDate ? { assessmentDate: existing.assessmentDate } : {}),
      ...(existing.source ? { source: existing.source } : {}),
      ...(existing.notes ? { notes: existing.notes } : {}),
      illustrative: existing.illustrative,
      populations: [],
      services: [],
    };
    const merged: Record<string, unknown> = { ...base };
    for (const f of fields) {
      if (f.startsWith('venue.')) {
        const key = f.slice(6) as keyof Site['venue'];
        (merged.venue as Site['venue'])[key] = record.venue[key];
      } else merged[f] = record[f as keyof SiteRecord];
    }
    return merged as SiteRecord;
  }

  /**
   * Imports whole sites atomically: a record whose code exists updates that site, others are
   * created; populations and services are replaced when the record carries them. Any bad record
   * and nothing is written; the message names its line (or feature) and field.
   */
  async import(
    actor: Actor,
    records: { line: number; record: SiteRecord; hasPopulations: boolean; hasServices: boolean; fields?: string[] }[],
    opts: { source: string; unit: 'line' | 'feature'; onProgress?: (done: number, total: number) => void },
  ): Promise<{ created: number; updated: number }> {
    authorize(actor, 'registry:import');
    return this.store.transaction(async (repos) => {
      const audit: AuditEntry[] = [];
      let created = 0;
      // First every record is checked, reading only: a bad last row is refused fast, before any write.
      const cache = new Lookups(repos);
      await cache.preload([...new Set(records.flatMap((r) => [r.record.code, r.record.country, r.record.parentCode].filter((c): c is string => !!c)))]);
      const codes = new Set<string>();
      const issues: Issue[] = [];
      type Plan = (typeof records)[number] & { input: SiteRecord; existing: Site | null; located: Awaited<ReturnType<SiteService['locate']>> };
      const plans: Plan[] = [];
      for (const r of records) {
        const { line, record, fields } = r;
        const refuse = (found: Issue[]) => issues.push(...found.map((i) => ({ ...i, line })));
        if (record.code && codes.has(record.code)) {
          refuse([{ field: 'code', value: record.code, message: 'appears earlier in the file' }]);
          continue;
        }
        if (record.code) codes.add(record.code);
        const holder = record.code ? await cache.byCode(record.code) : null;
        const found = holder?.level === 'site' ? await repos.sites.get(holder.id) : null;
        // A site outside the importer's scope is not theirs to change, nor to learn about: the
        // answer is the one a code held by any other unseen place gets.
        const existing = found && inScope(actor, (await cache.path(found.id))!) ? found : null;
        if (found && !existing) {
          refuse([{ field: 'code', value: record.code, message: 'cannot be used; choose another' }]);
          continue;
        }
        const input = existing && fields ? await this.merge(repos, existing, record, fields) : record;
        let located: Plan['located'];
        try {
          located = await this.locate(repos, actor, input, existing, '', cache);
        } catch (e) {
          if (e instanceof AppError && e.code === 'FORBIDDEN') throw new AppError('FORBIDDEN', `${opts.unit} ${line}: ${e.message}`, e.details);
          throw e;
        }
        refuse(located.issues);
        plans.push({ ...r, input, existing, located });
        if (issues.length >= 50) break;
      }
      if (issues.length > 0) {
        const labelled = labelIssues(SiteRecordSchema, issues);
        throw new AppError('IMPORT_INVALID', describeIssues(labelled, opts.unit), labelled);
      }

      // Then the writes: new sites under a known place in bulk (batched statements), the rest one by one.
      const bulk = plans.filter((p) => !p.existing && !p.located.create && !p.hasPopulations && !p.hasServices);
      const ids = bulk.map(() => newUid());
      await repos.places.insertPoints(
        bulk.map((p, k) => ({
          id: ids[k]!,
          code: p.input.code ?? `${p.input.country}-${ids[k]}`,
          name: p.input.name,
          level: 'site',
          parentId: p.located.parent!.id,
          parentPath: p.located.parentPath!,
          lon: p.input.longitude,
          lat: p.input.latitude,
          source: p.input.source ?? null,
        })),
      );
      await repos.sites.insertMany(
        bulk.map((p, k) => ({
          placeId: ids[k]!,
          type: p.input.type,
          countryId: p.located.country!.id,
          latitude: p.input.latitude,
          longitude: p.input.longitude,
          operatingDays: p.input.operatingDays ?? null,
          operatingHours: p.input.operatingHours ?? null,
          venue: p.input.venue,
          assessmentDate: p.input.assessmentDate ?? null,
          source: p.input.source ?? null,
          notes: p.input.notes ?? null,
          illustrative: p.input.illustrative,
        })),
      );
      const stored = new Map((await repos.sites.getMany(ids)).map((x) => [x.id, x]));
      bulk.forEach((p, k) => {
        audit.push({
          actor: actor.label,
          action: 'create',
          objectType: 'site',
          objectId: ids[k]!,
          before: null,
          after: stored.get(ids[k]!)!,
          placePath: `${p.located.parentPath}${ids[k]}/`,
        });
      });
      created += bulk.length;
      let done = bulk.length;
      opts.onProgress?.(done, records.length);
      const inBulk = new Set(bulk);
      for (const p of plans) {
        if (inBulk.has(p)) continue;
        try {
          const { site, before, path } = await this.write(repos, actor, p.input, p.existing);
          if (p.hasPopulations) await this.writePopulations(repos, site.id, p.record.populations, 'populations.');
          if (p.hasServices) await this.writeServices(repos, site.id, p.record.services, 'services.');
          if (!before) created++;
          audit.push({ actor: actor.label, action: before ? 'update' : 'create', objectType: 'site', objectId: site.id, before, after: site, placePath: path });
        } catch (e) {
          if (e instanceof AppError && e.code === 'VALIDATION_FAILED') {
            const found = (e.details as Issue[]).map((i) => ({ ...i, line: p.line }));
            throw new AppError('IMPORT_INVALID', `${opts.unit} ${p.line}: ${e.message.replace(/^invalid site: /, '')}`, found);
          }
          if (e instanceof AppError && e.code === 'FORBIDDEN') throw new AppError('FORBIDDEN', `${opts.unit} ${p.line}: ${e.message}`, e.details);
          throw e;
        }
        opts.onProgress?.(++done, records.length);
      }
      audit.push({
        actor: actor.label,
        action: 'import',
        objectType: 'site',
        objectId: null,
        details: { source: opts.source, created, updated: records.length - created },
      });
      await repos.audit.append(audit);
      return { created, updated: records.length - created };
    });
  }
}
