import { describe, expect, it } from 'vitest';
import { locateJsonError, parseJson } from './json.js';

describe('locateJsonError', () => {
  it('names line and column of the first mistake', () => {
    expect(locateJsonError('{\n  "a": [1, 2,]\n}')).toBe('line 2, column 14: expected a value, found "]"');
    expect(locateJsonError('{"a": 1')).toBe('line 1, column 8: expected "," or "}", found the end of the file');
    expect(locateJsonError("{'a': 1}")).toBe('line 1, column 2: expected a property name in double quotes, found "\'"');
    expect(locateJsonError('[1] x')).toBe('line 1, column 5: expected the end of the file, found "x"');
    expect(locateJsonError('"unterminated')).toMatch(/expected a closing quote/);
  });

  it('agrees with JSON.parse on valid input', () => {
    expect(parseJson('{"a":[1,-2.5e3,true,null,"x\\"y"]}')).toEqual({ a: [1, -2500, true, null, 'x"y'] });
  });
});
