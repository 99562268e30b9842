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

/** No file or body Corridor reads nests deeper; deeper JSON is refused before anything walks it. */
export const MAX_JSON_DEPTH = 64;

/** Throws IMPORT_INVALID when JSON text nests arrays and objects deeper than MAX_JSON_DEPTH (a scan, no recursion). */
export function refuseDeepJson(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        const line = text.slice(0, i).split('\n').length;
        throw new AppError('IMPORT_INVALID', `not accepted JSON: line ${line}: nested more than ${MAX_JSON_DEPTH} levels deep`);
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Parses JSON, or throws IMPORT_INVALID saying at which line and column it is malformed (or that it nests too deep). */
export function parseJson(text: string): unknown {
  refuseDeepJson(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('IMPORT_INVALID', `not valid JSON: ${locateJsonError(text)}`);
  }
}
