/**
 * ADX: the IHE QRPH Aggregate Data Exchange (ADX) profile, namespace `urn:ihe:qrph:adx:2015`,
 * as DHIS2 reads and writes it. Pure parsing and formatting:
 *
 *   <adx xmlns="urn:ihe:qrph:adx:2015" exported="2015-02-08T19:30:00Z">
 *     <group orgUnit="OU_559" period="2015-06-01/P1M" dataSet="VCCT" completeDate="2015-07-01" FUNDER="PEPFAR">
 *       <dataValue dataElement="VCCT_0" SEX="FMLE" AGE="AGE0-14" value="32"/>
 *       <dataValue dataElement="VCCT_1" value="10"><annotation>A comment</annotation></dataValue>
 *     </group>
 *   </adx>
 *
 * On a <group>, orgUnit, period, dataSet and completeDate are reserved and every other attribute
 * is an attribute-option-combo dimension (category code = option code); on a <dataValue>,
 * dataElement and value are reserved and every other attribute is a disaggregation. Prefixed
 * attributes (xsi:…, xml:…) and namespace declarations are not categories. An <annotation> text
 * child of a <dataValue> is its comment. Periods are a start date and an ISO 8601 duration
 * (`2015-06-01/P1M`), mapped to and from DHIS2 period ids with periods.ts.
 */
import { AppError, type Issue } from '../../domain/errors.js';
import { adxPeriod, parseAdxPeriod, parsePeriod } from '../../shared/periods.js';
import { escapeXmlAttribute, parseXmlElements, type XmlElement } from './dhis2-xml.js';

export const ADX_NAMESPACE = 'urn:ihe:qrph:adx:2015';

export interface AdxDataValue {
  line: number;
  dataElement: string;
  value: string;
  /** Disaggregation: category code → category option code. */
  categories: Record<string, string>;
  /** The text of the <annotation> child, when there is one. */
  comment?: string;
}

export interface AdxGroup {
  line: number;
  orgUnit: string;
  /** The DHIS2 period id (converted from the ADX form). */
  period: string;
  dataSet: string;
  completeDate?: string;
  /** Attribute option combo: category code → category option code. */
  attributes: Record<string, string>;
  dataValues: AdxDataValue[];
}

export interface AdxDocument {
  /** The `exported` timestamp of the root element, when present. */
  exported?: string;
  groups: AdxGroup[];
}

export interface AdxGroupInput {
  orgUnit: string;
  /** DHIS2 period id. */
  period: string;
  dataSet: string;
  completeDate?: string | null;
  attributes: Record<string, string>;
  dataValues: Array<{ dataElement: string; value: string | null; categories: Record<string, string>; comment?: string | null }>;
}

const GROUP_RESERVED = ['orgUnit', 'period', 'dataSet', 'completeDate'];
const VALUE_RESERVED = ['dataElement', 'value'];

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

/** The last day of the ADX period `start`/`duration`: start + duration - 1 day (UTC calendar). */
function lastDay(start: string, duration: string): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const [, n, unit] = /^P(\d+)([DMY])$/.exec(duration)!;
  const add = (u: string) => (unit === u ? Number(n) : 0);
  const date = new Date(0);
  date.setUTCFullYear(y + add('Y'), m - 1 + add('M'), d + add('D') - 1);
  const pad = (k: number, w: number) => String(k).padStart(w, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/**
 * The DHIS2 period id of an ADX period: `2015-06-01/P1M` → `201506`, `2024-01-01/P3M` → `2024Q1`,
 * `2023-10-01/P1Y` → `2023Oct`, `2024-04-01/P6M` → `2024AprilS1`. The start date must be the first
 * day of a DHIS2 period of that duration; INVALID_PERIOD otherwise, naming the string.
 */
export function adxPeriodToDhis2(s: string): string {
  const period = parseAdxPeriod(s);
  // Check the round trip independently of periods.ts: same start, end = start + duration - 1 day.
  const [start, duration] = s.split('/') as [string, string];
  const end = lastDay(start, duration);
  const back = parsePeriod(period.id);
  if (back.startDate !== start || back.endDate !== end) {
    throw new AppError('INVALID_PERIOD', `${s}: maps to ${period.id} (${back.startDate}..${back.endDate}), not ${start}..${end}`, { value: s });
  }
  return period.id;
}

/** The ADX form of a DHIS2 period id: `201506` → `2015-06-01/P1M`; INVALID_PERIOD if it is not one. */
export function dhis2PeriodToAdx(id: string): string {
  return adxPeriod(id);
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

function invalid(line: number, message: string, field?: string, value?: string): AppError {
  const issue: Issue = { line, message, ...(field !== undefined ? { field } : {}), ...(value !== undefined ? { value } : {}) };
  return new AppError('IMPORT_INVALID', `ADX line ${line}: ${message}`, [issue]);
}

/** Namespace declarations in scope: prefix ('' = default) → namespace URI. */
type Scope = Record<string, string>;

function scopeOf(el: XmlElement, parent: Scope): Scope {
  let scope = parent;
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) scope = { ...scope, [k === 'xmlns' ? '' : k.slice(6)]: v };
  }
  return scope;
}

/** The element's namespace (undefined: none) and local name. */
function qname(el: XmlElement, scope: Scope): { ns: string | undefined; local: string } {
  const colon = el.name.indexOf(':');
  return { ns: scope[colon < 0 ? '' : el.name.slice(0, colon)] || undefined, local: el.name.slice(colon + 1) };
}

/** The element's local name when it is in the ADX namespace, else null. */
function adxName(el: XmlElement, scope: Scope): string | null {
  const { ns, local } = qname(el, scope);
  return ns === ADX_NAMESPACE ? local : null;
}

function describe(el: XmlElement, scope: Scope): string {
  const { ns } = qname(el, scope);
  return `<${el.name}>${ns === undefined ? ' (no namespace)' : ns === ADX_NAMESPACE ? '' : ` (namespace ${ns})`}`;
}

/** Splits unprefixed attributes into reserved ones and categories (code → option code). */
function split(el: XmlElement, reserved: string[]): { own: Record<string, string>; categories: Record<string, string> } {
  const own: Record<string, string> = {};
  const categories: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k.includes(':') || k === 'xmlns') continue; // xsi:…, xml:…, xmlns:…: not categories
    if (reserved.includes(k)) own[k] = v;
    else if (v === '') throw invalid(el.line, `category ${k} has no option code`, k, v);
    else categories[k] = v;
  }
  return { own, categories };
}

function noText(el: XmlElement, what: string): void {
  if (el.text !== undefined) throw invalid(el.textLine ?? el.line, `text is not allowed in ${what}`);
}

function required(el: XmlElement, own: Record<string, string>, key: string): string {
  const v = own[key];
  if (v === undefined || v === '') throw invalid(el.line, `<${el.name}> needs ${/^[aeiou]/i.test(key) ? 'an' : 'a'} ${key} attribute`, key, v);
  return v;
}

function parseDataValue(el: XmlElement, scope: Scope): AdxDataValue {
  noText(el, '<dataValue> (a comment goes in <annotation>)');
  const { own, categories } = split(el, VALUE_RESERVED);
  const dataElement = required(el, own, 'dataElement');
  if (own.value === undefined) throw invalid(el.line, `<${el.name}> for ${dataElement} needs a value attribute`, 'value');
  const dv: AdxDataValue = { line: el.line, dataElement, value: own.value, categories };
  for (const child of el.children) {
    const s = scopeOf(child, scope);
    if (adxName(child, s) !== 'annotation') throw invalid(child.line, `<dataValue> may hold only <annotation>, not ${describe(child, s)}`);
    if (dv.comment !== undefined) throw invalid(child.line, '<dataValue> holds more than one <annotation>');
    if (child.children.length) throw invalid(child.children[0]!.line, '<annotation> holds text only, no elements');
    dv.comment = child.text ?? '';
  }
  return dv;
}

function parseGroup(el: XmlElement, scope: Scope): AdxGroup {
  noText(el, '<group>');
  const { own, categories } = split(el, GROUP_RESERVED);
  const orgUnit = required(el, own, 'orgUnit');
  const adx = required(el, own, 'period');
  let period: string;
  try {
    period = adxPeriodToDhis2(adx);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw invalid(el.line, `bad period ${err.message}`, 'period', adx); // the message starts with the period
  }
  const dataSet = required(el, own, 'dataSet');
  const group: AdxGroup = { line: el.line, orgUnit, period, dataSet, attributes: categories, dataValues: [] };
  if (own.completeDate) group.completeDate = own.completeDate;
  for (const child of el.children) {
    const s = scopeOf(child, scope);
    if (adxName(child, s) !== 'dataValue') throw invalid(child.line, `<group> may hold only <dataValue>, not ${describe(child, s)}`);
    group.dataValues.push(parseDataValue(child, s));
  }
  return group;
}

/**
 * Parses an ADX document. IMPORT_INVALID naming the line, attribute and value: "XML line N: …"
 * for malformed XML, "ADX line N: …" for a wrong root element or namespace, an unknown element,
 * a missing orgUnit, period, dataSet, dataElement or value, or a period that is not a DHIS2 period.
 */
export function parseAdx(text: string): AdxDocument {
  const root = parseXmlElements(text, { text: true });
  const scope = scopeOf(root, {});
  if (adxName(root, scope) !== 'adx') {
    const { ns, local } = qname(root, scope);
    const [field, value] = local === 'adx' ? ['xmlns', ns ?? ''] : ['root', root.name];
    throw invalid(root.line, `the root element must be <adx xmlns="${ADX_NAMESPACE}">, not ${describe(root, scope)}`, field, value);
  }
  noText(root, '<adx>');
  const doc: AdxDocument = { groups: [] };
  if (root.attrs.exported) doc.exported = root.attrs.exported;
  for (const child of root.children) {
    const s = scopeOf(child, scope);
    if (adxName(child, s) !== 'group') throw invalid(child.line, `<adx> may hold only <group>, not ${describe(child, s)}`);
    doc.groups.push(parseGroup(child, s));
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/** An XML NCName (ASCII letters, digits, `_ . -`, not starting with a digit, `.`, `-` or "xml"). */
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function escapeText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? '&#13;');
}

/**
 * Formats groups as an ADX document (pretty-printed, escaped, DHIS2 periods written as ADX
 * periods). A null value is written as value="" and a comment as an <annotation>. Category codes
 * become attribute names, so VALIDATION_FAILED when one is not an XML NCName, starts with "xml" or
 * is a reserved attribute name, or when an id or option code is empty; INVALID_PERIOD for a period.
 */
export function formatAdx(groups: readonly AdxGroupInput[], exported?: string): string {
  const issues: Issue[] = [];
  const check = (where: string, dims: Record<string, string>, reserved: string[]) => {
    for (const [code, option] of Object.entries(dims)) {
      const problem = !NCNAME.test(code)
        ? 'a category code must be an XML name (letters, digits, _ . -, not starting with a digit, . or -)'
        : /^xml/i.test(code)
          ? 'a category code must not start with "xml"'
          : reserved.includes(code)
            ? `a category code must not be ${reserved.join(', ')}`
            : option === ''
              ? `category ${code} has no option code`
              : null;
      if (problem) issues.push({ field: `${where}.${code}`, value: code, message: problem });
    }
  };
  const attrs = (pairs: [string, string | null | undefined][]) =>
    pairs
      .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== null)
      .map(([k, v]) => ` ${k}="${escapeXmlAttribute(v)}"`)
      .join('');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<adx${attrs([
      ['xmlns', ADX_NAMESPACE],
      ['exported', exported],
    ])}>`,
  ];
  groups.forEach((g, gi) => {
    for (const key of ['orgUnit', 'dataSet'] as const) if (!g[key]) issues.push({ field: `groups[${gi}].${key}`, value: g[key], message: `${key} is empty` });
    check(`groups[${gi}].attributes`, g.attributes, GROUP_RESERVED);
    const head = `  <group${attrs([
      ['orgUnit', g.orgUnit],
      ['period', dhis2PeriodToAdx(g.period)],
      ['dataSet', g.dataSet],
      ['completeDate', g.completeDate || undefined],
      ...Object.entries(g.attributes),
    ])}`;
    if (!g.dataValues.length) return void out.push(`${head}/>`);
    out.push(`${head}>`);
    g.dataValues.forEach((v, vi) => {
      if (!v.dataElement) issues.push({ field: `groups[${gi}].dataValues[${vi}].dataElement`, value: v.dataElement, message: 'dataElement is empty' });
      check(`groups[${gi}].dataValues[${vi}].categories`, v.categories, VALUE_RESERVED);
      const el = `    <dataValue${attrs([['dataElement', v.dataElement], ...Object.entries(v.categories), ['value', v.value ?? '']])}`;
      if (v.comment) out.push(`${el}>`, `      <annotation>${escapeText(v.comment)}</annotation>`, '    </dataValue>');
      else out.push(`${el}/>`);
    });
    out.push('  </group>');
  });
  if (issues.length) {
    const first = issues[0]!;
    throw new AppError(
      'VALIDATION_FAILED',
      `ADX: ${first.field}: ${first.message} (value ${JSON.stringify(first.value)})${issues.length > 1 ? `; and ${issues.length - 1} more` : ''}`,
      issues,
    );
  }
  out.push('</adx>', '');
  return out.join('\n');
}
