import type { DataValueInput, DataValueOut, DataValueSetInput } from '../../domain/monitoring.js';
import { AppError } from '../../domain/errors.js';
import { clip } from '../../lib/text.js';

export const DXF2_NAMESPACE = 'http://dhis2.org/schema/dxf/2.0';

/** One element of the document: its name, attributes and the line on which it starts. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  line: number;
  children: XmlElement[];
  /** With `{ text: true }` only: the character data directly inside, when some of it is not whitespace. */
  text?: string;
  /** The line of the first character of `text` that is not whitespace. */
  textLine?: number;
}

export interface XmlReadOptions {
  /** Keep character data inside elements as `text` (entities decoded) rather than refusing it. */
  text?: boolean;
}

function invalid(line: number, message: string): AppError {
  return new AppError('IMPORT_INVALID', `XML line ${line}: ${message}`, [{ line, message }]);
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(raw: string, line: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw invalid(line, `"&" must start an entity such as &amp;`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    const code = m ? parseInt(m[1] ?? m[2]!, m[1] ? 16 : 10) : NaN;
    if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      throw invalid(line, `unknown entity &${ref};`);
    }
    return String.fromCodePoint(code);
  });
}

/**
 * A small strict XML parser for attribute-only documents: the XML declaration, comments,
 * elements with attributes (self-closing or explicitly closed) and whitespace between them.
 * Text content, CDATA, DOCTYPE and processing instructions are refused, naming the line; with
 * `{ text: true }` text content inside elements is kept instead (still no CDATA).
 */
export function parseXmlElements(text: string, options: XmlReadOptions = {}): XmlElement {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const advance = (to: number) => {
    for (; i < to; i++) if (text[i] === '\n') line++;
  };
  const skipSpace = () => {
    const m = /^\s*/.exec(text.slice(i, i + 10_000))!;
    advance(i + m[0].length);
    if (m[0].length === 10_000) skipSpace();
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  if (text.startsWith('<?xml', i)) {
    const end = text.indexOf('?>', i);
    if (end < 0) throw invalid(line, 'the XML declaration is never closed');
    advance(end + 2);
  }
  while (true) {
    const parent = stack.at(-1);
    if (options.text && parent && i < text.length && text[i] !== '<') {
      const end = text.indexOf('<', i);
      const raw = text.slice(i, end < 0 ? text.length : end);
      const lead = /^[ \t\r\n]*/.exec(raw)![0];
      if (lead.length < raw.length) parent.textLine ??= line + (lead.match(/\n/g)?.length ?? 0);
      if (raw.includes(']]>')) throw invalid(line, '"]]>" is not allowed in text; write ]]&gt;');
      parent.text = (parent.text ?? '') + decodeEntities(raw.replace(/\r\n?/g, '\n'), line);
      advance(i + raw.length);
      continue;
    }
    skipSpace();
    if (i >= text.length) break;
    const start = line;
    if (text[i] !== '<') {
      throw invalid(line, stack.length ? `text content is not allowed in <${stack.at(-1)!.name}>` : 'text outside the root element');
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) throw invalid(start, 'a comment is never closed');
      advance(end + 3);
      continue;
    }
    if (text.startsWith('<!', i) || text.startsWith('<?', i)) {
      throw invalid(line, 'only elements, attributes and comments are allowed (no DOCTYPE, CDATA or processing instructions)');
    }
    if (text[i + 1] === '/') {
      advance(i + 2);
      const name = NAME.exec(text.slice(i, i + 300))?.[0];
      const open = stack.pop();
      if (!name) throw invalid(line, 'a closing tag has no name');
      if (!open || open.name !== name) throw invalid(line, open ? `</${name}> closes <${open.name}> (line ${open.line})` : `</${name}> closes nothing`);
      if (open.textLine === undefined) delete open.text;
      advance(i + name.length);
      skipSpace();
      if (text[i] !== '>') throw invalid(line, `</${name} is not closed with ">"`);
      advance(i + 1);
      continue;
    }
    advance(i + 1);
    const name = NAME.exec(text.slice(i, i + 300))?.[0];
    if (!name) throw invalid(line, '"<" must start an element name');
    advance(i + name.length);
    const el: XmlElement = { name, attrs: {}, line: start, children: [] };
    let selfClosing = false;
    while (true) {
      const before = i;
      skipSpace();
      if (i >= text.length) throw invalid(start, `<${name}> is never closed`);
      if (text[i] === '>') {
        advance(i + 1);
        break;
      }
      if (text.startsWith('/>', i)) {
        advance(i + 2);
        selfClosing = true;
        break;
      }
      if (i === before) throw invalid(line, `attributes of <${name}> must be separated by spaces`);
      const attr = NAME.exec(text.slice(i, i + 300))?.[0];
      if (!attr) throw invalid(line, `unexpected "${text[i]}" in <${name}>`);
      const attrLine = line;
      advance(i + attr.length);
      skipSpace();
      if (text[i] !== '=') throw invalid(line, `attribute ${attr} of <${name}> has no value`);
      advance(i + 1);
      skipSpace();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") throw invalid(line, `the value of ${attr} must be quoted`);
      const end = text.indexOf(quote, i + 1);
      if (end < 0) throw invalid(attrLine, `the value of ${attr} is never closed`);
      const raw = text.slice(i + 1, end);
      if (raw.includes('<')) throw invalid(attrLine, `"<" is not allowed in the value of ${attr}; write &lt;`);
      if (attr in el.attrs) throw invalid(attrLine, `attribute ${attr} appears twice in <${name}>`);
      el.attrs[attr] = decodeEntities(raw.replace(/[\t\n\r]/g, ' '), attrLine);
      advance(end + 1);
    }
    if (stack.length) stack.at(-1)!.children.push(el);
    else if (root) throw invalid(start, `a second root element <${name}>`);
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length) throw invalid(stack.at(-1)!.line, `<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw invalid(line, 'no root element');
  return root;
}

function bool(el: XmlElement, attr: string): boolean | undefined {
  const v = el.attrs[attr];
  if (v === undefined || v === '') return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalid(el.line, `${attr} must be true or false, not "${clip(v)}"`);
}

/** Parses a DXF2 <dataValueSet> into the JSON import shape. */
export function parseDhis2Xml(text: string): DataValueSetInput {
  const root = parseXmlElements(text);
  if (root.name !== 'dataValueSet') throw invalid(root.line, `the root element must be <dataValueSet>, not <${root.name}>`);
  const set: DataValueSetInput = { dataValues: [] };
  for (const key of ['dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo'] as const) {
    if (root.attrs[key] !== undefined) set[key] = root.attrs[key];
  }
  // DHIS2 reads dryRun from the document too: a dry run asked for anywhere must never write.
  const dryRun = bool(root, 'dryRun');
  if (dryRun !== undefined) set.dryRun = dryRun;
  for (const el of root.children) {
    if (el.name !== 'dataValue') throw invalid(el.line, `<dataValueSet> may hold only <dataValue>, not <${el.name}>`);
    if (el.children.length) throw invalid(el.children[0]!.line, '<dataValue> holds no elements');
    const a = el.attrs;
    if (!a.dataElement) throw invalid(el.line, '<dataValue> needs a dataElement');
    const v: DataValueInput = { dataElement: a.dataElement };
    for (const key of ['period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'created', 'lastUpdated', 'comment'] as const) {
      if (a[key] !== undefined && (a[key] !== '' || key === 'value')) v[key] = a[key];
    }
    if (a.timestamp && !v.lastUpdated) v.lastUpdated = a.timestamp;
    const followup = bool(el, 'followup');
    if (followup !== undefined) v.followup = followup;
    const deleted = bool(el, 'deleted');
    if (deleted !== undefined) v.deleted = deleted;
    set.dataValues.push(v);
  }
  return set;
}

/** Escapes an attribute value (quotes, markup and the whitespace XML would normalise). */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? `&#${c.charCodeAt(0)};`);
}

/** Formats exported data values as a DXF2 <dataValueSet>. */
export function formatDhis2Xml(set: { dataSet?: string; period?: string; orgUnit?: string; dataValues: readonly DataValueOut[] }): string {
  const attrs = (pairs: [string, unknown][]) =>
    pairs
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => ` ${k}="${escapeXmlAttribute(String(v))}"`)
      .join('');
  const head = attrs([
    ['xmlns', DXF2_NAMESPACE],
    ['dataSet', set.dataSet],
    ['period', set.period],
    ['orgUnit', set.orgUnit],
  ]);
  const rows = set.dataValues.map(
    (v) =>
      `  <dataValue${attrs([
        ['dataElement', v.dataElement],
        ['period', v.period],
        ['orgUnit', v.orgUnit],
        ['categoryOptionCombo', v.categoryOptionCombo],
        ['attributeOptionCombo', v.attributeOptionCombo],
        ['value', v.value],
        ['storedBy', v.storedBy],
        ['created', v.created],
        ['lastUpdated', v.lastUpdated],
        ['comment', v.comment],
        ['followup', v.followup],
        ['deleted', v.deleted ? true : undefined],
      ])}/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet${head}>\n${rows.map((r) => r + '\n').join('')}</dataValueSet>\n`;
}
