import { AppError } from '../domain/errors.js';

/**
 * DHIS2 data element expressions, as validation rules and indicators use them (DHIS2 developer
 * manual, "Expressions"): `#{deUid}` sums a data element over every category option combo and
 * attribute option combo, `#{deUid.cocUid}` one disaggregation, `#{deUid.cocUid.aocUid}` one
 * disaggregation of one attribute option combo, and `*` stands for any combo
 * (`#{deUid.*.aocUid}`). Numbers, `+ - * /`, unary minus and parentheses combine them.
 * Pure: parsing gives a tree, evaluation asks a lookup for each reference's sum.
 */

/** One `#{…}` reference; null parts are wildcards. */
export interface Operand {
  de: string;
  coc: string | null;
  aoc: string | null;
}

export type Expression =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; ref: Operand }
  | { kind: 'neg'; operand: Expression }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expression; right: Expression };

const UID_PART = /^[A-Za-z][A-Za-z0-9]{10}$/;

function fail(text: string, at: number, message: string): never {
  throw new AppError('VALIDATION_FAILED', `expression "${text}", at character ${at + 1}: ${message}`, [
    { field: 'expression', value: text, message: `at character ${at + 1}: ${message}` },
  ]);
}

/** The tree of an expression; VALIDATION_FAILED names the character where it goes wrong. */
export function parseExpression(text: string): Expression {
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const primary = (): Expression => {
    space();
    const c = text[i];
    if (c === '(') {
      i++;
      const e = sum();
      space();
      if (text[i] !== ')') fail(text, i, 'a ")" is missing');
      i++;
      return e;
    }
    if (c === '-') {
      i++;
      return { kind: 'neg', operand: primary() };
    }
    if (c === '#') {
      if (text[i + 1] !== '{') fail(text, i, 'a reference is written #{dataElement} or #{dataElement.categoryOptionCombo}');
      const end = text.indexOf('}', i);
      if (end < 0) fail(text, i, 'the reference is never closed with "}"');
      const parts = text.slice(i + 2, end).split('.');
      if (parts.length > 3) fail(text, i, 'a reference has at most three parts: #{dataElement.categoryOptionCombo.attributeOptionCombo}');
      const [de, coc, aoc] = parts.map((p) => p.trim());
      if (!de || !UID_PART.test(de)) fail(text, i + 2, `"${de ?? ''}" is not a data element UID`);
      for (const p of [coc, aoc]) if (p !== undefined && p !== '*' && !UID_PART.test(p)) fail(text, i + 2, `"${p}" is not a UID or *`);
      i = end + 1;
      return { kind: 'ref', ref: { de, coc: coc && coc !== '*' ? coc : null, aoc: aoc && aoc !== '*' ? aoc : null } };
    }
    const m = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      return { kind: 'number', value: Number(m[0]) };
    }
    return fail(text, i, c === undefined ? 'the expression ends too early' : `unexpected "${c}"`);
  };
  const product = (): Expression => {
    let left = primary();
    for (space(); text[i] === '*' || text[i] === '/'; space()) {
      const op = text[i++] as '*' | '/';
      left = { kind: 'binary', op, left, right: primary() };
    }
    return left;
  };
  const sum = (): Expression => {
    let left = product();
    for (space(); text[i] === '+' || text[i] === '-'; space()) {
      const op = text[i++] as '+' | '-';
      left = { kind: 'binary', op, left, right: product() };
    }
    return left;
  };
  const e = sum();
  space();
  if (i < text.length) fail(text, i, `unexpected "${text[i]}"`);
  return e;
}

/** Every reference in the tree, in order. */
export function references(e: Expression): Operand[] {
  switch (e.kind) {
    case 'number':
      return [];
    case 'ref':
      return [e.ref];
    case 'neg':
      return references(e.operand);
    case 'binary':
      return [...references(e.left), ...references(e.right)];
  }
}

/** The result of an evaluation, with how many references had no value (for missing-value strategies). */
export interface Evaluation {
  /** null when the result is undefined (division by zero). */
  value: number | null;
  references: number;
  missing: number;
}

/**
 * Evaluates an expression: `lookup` gives a reference's sum, or null when no value is stored.
 * A missing reference counts as 0, as DHIS2 does once the rule's missing-value strategy lets the
 * evaluation go on.
 */
export function evaluate(e: Expression, lookup: (ref: Operand) => number | null): Evaluation {
  let refs = 0;
  let missing = 0;
  const go = (x: Expression): number | null => {
    switch (x.kind) {
      case 'number':
        return x.value;
      case 'ref': {
        refs++;
        const v = lookup(x.ref);
        if (v === null) missing++;
        return v ?? 0;
      }
      case 'neg': {
        const v = go(x.operand);
        return v === null ? null : -v;
      }
      case 'binary': {
        const a = go(x.left);
        const b = go(x.right);
        if (a === null || b === null) return null;
        if (x.op === '+') return a + b;
        if (x.op === '-') return a - b;
        if (x.op === '*') return a * b;
        return b === 0 ? null : a / b;
      }
    }
  };
  const value = go(e);
  return { value, references: refs, missing };
}
