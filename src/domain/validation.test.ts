import { describe, expect, it } from 'vitest';
import { jsonDepth } from '../lib/json.js';
import { isCalendarDate, isoDate, isoDateTime, z, zodIssues } from './validation.js';

describe('text rules of every zod string', () => {
  const s = z.string().min(1).max(20);
  it('refuses NUL characters and lone surrogates, and keeps the other checks', () => {
    expect(s.safeParse('Busia').success).toBe(true);
    expect(s.safeParse('emoji 😀 ok').success).toBe(true);
    expect(s.safeParse('a\u0000b').error?.issues[0]?.message).toBe('must not contain a NUL character (\\0)');
    expect(s.safeParse('x\uD800').error?.issues[0]?.message).toMatch(/lone UTF-16 surrogate/);
    expect(s.safeParse('\uDC00x').error?.issues[0]?.message).toMatch(/lone UTF-16 surrogate/);
    expect(s.safeParse('x'.repeat(21)).success).toBe(false);
  });
  it('applies to record keys too', () => {
    expect(z.record(z.string(), z.number()).safeParse({ 'a\u0000': 1 }).success).toBe(false);
  });
});

describe('calendar dates', () => {
  it('accepts real days and refuses impossible ones', () => {
    for (const d of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2023-04-30']) expect(isCalendarDate(d), d).toBe(true);
    for (const d of ['2023-02-29', '1900-02-29', '2024-02-30', '2024-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '0000-01-01', '24-01-01']) {
      expect(isCalendarDate(d), d).toBe(false);
      expect(isoDate.safeParse(d).success, d).toBe(false);
    }
    expect(isoDate.safeParse('2024-02-29').success).toBe(true);
    expect(isoDateTime.safeParse('2024-02-29T08:00:00Z').success).toBe(true);
    expect(isoDateTime.safeParse('2024-02-30T08:00:00Z').success).toBe(false);
    expect(isoDateTime.safeParse('0000-01-01T00:00:00+01:00').success).toBe(false);
  });
  it('is documented as a date in JSON Schema', () => {
    expect(z.toJSONSchema(isoDate)).toMatchObject({ type: 'string', format: 'date' });
  });
});

describe('JSON depth', () => {
  it('measures without recursion, even 100,000 deep', () => {
    expect(jsonDepth(1).depth).toBe(0);
    expect(jsonDepth({ a: [1, { b: 2 }] }).depth).toBe(3);
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(jsonDepth(deep).depth).toBeGreaterThan(64);
    const inField = JSON.parse(`{"dataValues":[{"comment":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`) as unknown;
    expect(jsonDepth(inField).path).toBe('dataValues.0.comment');
  });
});

describe('zodIssues', () => {
  it('echoes scalars (long text cut) and names lists and objects by kind', () => {
    const schema = z.object({ a: z.string(), b: z.number(), c: z.string().max(3) }).strict();
    const input = { a: [1], b: { x: 1 }, c: 'y'.repeat(500) };
    const issues = zodIssues(schema.safeParse(input).error!, input, 'body');
    expect(issues.find((i) => i.field === 'a')?.value).toBe('(a list)');
    expect(issues.find((i) => i.field === 'b')?.value).toBe('(an object)');
    expect(String(issues.find((i) => i.field === 'c')?.value)).toBe(`${'y'.repeat(40)}… (500 characters)`);
  });
});
