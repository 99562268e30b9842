import * as z from './zod.js';

/**
 * The words people see for fields and options, kept next to the schemas that define them.
 *
 * A field schema is given its label (and, for an enum, the names of its options) with
 * `labelled(schema, 'Site type', SITE_TYPE_LABELS)`, a list the name of its items with
 * `listOf(schema, 'population')`. `zodIssues` (validation.ts), the one place that turns
 * zod issues into Corridor issues, reads them: a message then says "Lowest size estimate
 * (population 2) must not exceed the highest" or "Site type must be one of Land border post, …",
 * while the issue keeps the field path, the issue code and the allowed codes for programs.
 *
 * A registry of its own (not zod's global one), so labels do not change the OpenAPI document.
 */
interface Words {
  /** The field's label, as a form shows it: "Lowest size estimate". */
  label?: string;
  /** For a list: what one item is called, numbered from 1 in messages ("population 2"). */
  item?: string;
  /** For an enum: the name of each option code. */
  options?: Readonly<Record<string, string>>;
}

const words = z.registry<Words>();

/**
 * A copy of `schema` (so that a shared schema such as `code` can carry different labels) with the
 * label people know the field by and, for an enum, the names of its options. Only the copy has
 * them: a query parameter or CLI option built on the bare enum still lists the codes to type.
 */
export function labelled<T extends z.ZodType>(schema: T, label: string, options?: Readonly<Record<string, string>>): T {
  const copy = schema.clone() as T;
  words.add(copy, { ...words.get(schema), label, ...(options ? { options } : {}) });
  return copy;
}

/** A copy of the list schema whose items are called `item` in messages ("population 2"). */
export function listOf<T extends z.ZodType>(schema: T, item: string, label?: string): T {
  const copy = schema.clone() as T;
  words.add(copy, { ...words.get(schema), item, ...(label ? { label } : {}) });
  return copy;
}

/** The names of an enum's options, if it was given them (the schema or the copy it came from). */
export function optionNames(schema: unknown): Readonly<Record<string, string>> | undefined {
  return schema && typeof schema === 'object' && '_zod' in schema ? words.get(schema as z.ZodType)?.options : undefined;
}

/** The name of an option code, or the code itself. */
export function optionName(schema: unknown, code: unknown): string {
  const names = optionNames(schema);
  return typeof code === 'string' && names?.[code] ? names[code] : String(code);
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema and the schemas it wraps (optional, nullable, default, prefault, pipe…), outermost first. */
function unwrap(s: z.ZodType): z.ZodType[] {
  const chain = [s];
  for (;;) {
    const d = defOf(chain[chain.length - 1]!);
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!next || chain.includes(next)) return chain;
    chain.push(next);
  }
}

const first = (chain: z.ZodType[], key: 'label' | 'item') => chain.map((s) => words.get(s)?.[key]).find((w) => w !== undefined);

/**
 * The label of the field at `path` (zod's path, or a dotted field name such as `places.3`) in
 * `schema`, with the numbered list items it lies in: "Lowest size estimate (population 2)"; an
 * item without a label of its own is named by its position ("Place 4"). Undefined when the field
 * has no label, so the caller names it by its path.
 */
export function labelAt(schema: z.ZodType | undefined, path: readonly PropertyKey[] | string): string | undefined {
  if (!schema) return undefined;
  const keys = (typeof path === 'string' ? (path ? path.split('.') : []) : [...path]).map((k) => (typeof k === 'string' && /^\d+$/.test(k) ? Number(k) : k));
  let node = schema;
  const items: string[] = [];
  let lastWasItem = false;
  for (const key of keys) {
    const chain = unwrap(node);
    const d = defOf(chain[chain.length - 1]!);
    lastWasItem = false;
    if (d.type === 'array' && typeof key === 'number' && d.element) {
      const item = first(chain, 'item');
      if (item) items.push(`${item} ${key + 1}`);
      lastWasItem = item !== undefined;
      node = d.element;
    } else if (d.type === 'object' && typeof key === 'string' && d.shape?.[key]) node = d.shape[key];
    else if (d.type === 'record' && d.valueType) node = d.valueType;
    else return undefined;
  }
  const label = first(unwrap(node), 'label');
  const within = (s: string) => (items.length ? `${s} (${items.join(', ')})` : s);
  // An item of a list is named by its position ("Country 2"), with the lists it lies in.
  if (lastWasItem) return within(capital(items.pop()!));
  if (label) return within(label);
  return undefined;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * "Latitude must be at most 90": a field's label followed by what is wrong with it. A message that
 * is a sentence of its own (it begins with a capital: "Choose a country") is kept as it is.
 */
export function sentence(label: string, message: string): string {
  return /^[A-Z]/.test(message) ? message : `${label} ${message}`;
}

// ------------------------------------------------------------------ names of options

/** Site types (as data/registry/taxonomy.json names them; a unit test keeps the two equal). */
export const SITE_TYPE_LABELS = {
  land_border_post: 'Land border post',
  port: 'Port',
  mine: 'Mine',
  construction_site: 'Construction site',
  farm_compound: 'Farm compound',
  truck_stop: 'Truck stop',
  fishing_landing: 'Fishing landing',
  market: 'Market',
  transit_centre: 'Transit centre',
  camp_settlement: 'Camp / settlement',
  other: 'Other',
} as const;

/** HIV services (as data/registry/taxonomy.json names them). */
export const SERVICE_TYPE_LABELS = {
  hiv_testing: 'HIV testing',
  art_initiation: 'ART initiation',
  art_refill: 'ART refill',
  viral_load: 'Viral load testing',
  prep: 'PrEP',
  pep: 'PEP',
  condoms_lubricant: 'Condoms and lubricant',
  sti_care: 'STI care',
  vmmc: 'Voluntary medical male circumcision',
  harm_reduction: 'Harm reduction',
  gbv_support: 'GBV support',
  tb_screening: 'TB screening',
} as const;

export const AVAILABILITY_LABELS = { none: 'None', partial: 'Partial', full: 'Full' } as const;
export const SEX_LABELS = { F: 'Female', M: 'Male', all: 'All' } as const;
export const FLOW_REASON_LABELS = {
  work: 'Work',
  trade: 'Trade',
  transport: 'Transport',
  family: 'Family',
  displacement: 'Displacement',
  study: 'Study',
  tourism: 'Tourism',
  health: 'Health',
  other: 'Other',
  unknown: 'Unknown',
} as const;
export const PROJECT_STATUS_LABELS = { planned: 'Planned', active: 'Active', closed: 'Closed' } as const;
export const OBJECTIVE_LABELS = {
  service_delivery_capacity_building: 'Service delivery and capacity building',
  advocacy_for_policy: 'Advocacy for policy',
  research_information: 'Research and information',
} as const;
export const RESTRICTION_LABELS = {
  entry_ban: 'Entry ban',
  short_stay: 'Restriction on short stays',
  long_stay_residence: 'Restriction on long stays / residence',
  deportation: 'Deportation of people with HIV',
  mandatory_testing_disclosure: 'Mandatory HIV testing or disclosure for permits',
} as const;
export const POLICY_STATUS_LABELS = { in_force: 'In force', repealed: 'Repealed', none: 'No restriction', unclear: 'Unclear' } as const;
export const PLACE_LEVEL_LABELS = {
  country: 'Country',
  admin1: 'Admin level 1 (province, region)',
  admin2: 'Admin level 2 (district)',
  admin3: 'Admin level 3',
  admin4: 'Admin level 4',
  site: 'Site',
} as const;
