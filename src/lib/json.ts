import { AppError } from '../domain/errors.js';

/**
 * Finds where JSON text first goes wrong, as "line L, column C: …". Only called after JSON.parse
 * has failed, because Node's own message does not always give a position.
 */
export function locateJsonError(text: string): string {
  let i = 0;
  const fail = (what: string): never => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    const found = i >= text.length ? 'the end of the file' : JSON.stringify(text[i]);
    throw new Error(`line ${line}, column ${column}: expected ${what}, found ${found}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a value');
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('a closing quote');
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail('":"');
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('"," or "}"');
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('"," or "]"');
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail('a value');
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the file');
    return 'invalid JSON';
  } catch (e) {
    return (e as Error).message;
  }
}

/** How deep JSON input may nest: far beyond any Corridor document, far below a stack overflow. */
export const MAX_JSON_DEPTH = 64;

interface Frame {
  v: object;
  d: number;
  key: string;
  up: Frame | null;
}

/**
 * The nesting depth of a parsed JSON value, found without recursion (so 10,000 deep is safe),
 * and the path of the first place that reaches `stopAt` ("dataValues.0.comment").
 */
export function jsonDepth(value: unknown, stopAt = MAX_JSON_DEPTH + 1): { depth: number; path: string } {
  let max = 0;
  if (!value || typeof value !== 'object') return { depth: 0, path: '' };
  const stack: Frame[] = [{ v: value, d: 1, key: '', up: null }];
  while (stack.length) {
    const f = stack.pop()!;
    if (f.d > max) max = f.d;
    if (max >= stopAt) {
      const keys: string[] = [];
      for (let at: Frame | null = f; at?.up; at = at.up) keys.unshift(at.key);
      // The field: the path up to its last name among the first few keys (not the list inside it).
      const head = keys.slice(0, 4);
      const named = head.findLastIndex((k) => !/^\d+$/.test(k));
      return { depth: max, path: head.slice(0, named + 1).join('.') };
    }
    for (const [key, child] of Object.entries(f.v)) if (child && typeof child === 'object') stack.push({ v: child as object, d: f.d + 1, key, up: f });
  }
  return { depth: max, path: '' };
}

/** Parses JSON, or throws IMPORT_INVALID saying at which line and column it is malformed (or that it nests too deep). */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text); // iterative in V8: any depth parses; what walks it next must not recurse
  } catch {
    throw new AppError('IMPORT_INVALID', `not valid JSON: ${locateJsonError(text)}`);
  }
  const deep = jsonDepth(value);
  if (deep.depth > MAX_JSON_DEPTH) {
    throw new AppError('IMPORT_INVALID', `not accepted JSON: ${deep.path ? `field "${deep.path}": ` : ''}nested deeper than ${MAX_JSON_DEPTH} levels`, {
      field: deep.path,
    });
  }
  return value;
}
