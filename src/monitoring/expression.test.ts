import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, references, type Operand } from './expression.js';
import { outlierScore } from './validation.service.js';

const A = 'AAAAAAAAAAA';
const B = 'BBBBBBBBBBB';
const C1 = 'CccccccccC1';

describe('DHIS2 expressions', () => {
  const values: Record<string, number> = { [`${A}.${C1}`]: 4, [`${A}.other`]: 6, [B]: 5 };
  const lookup = (r: Operand) => {
    if (r.de === A) return r.coc ? (values[`${A}.${r.coc}`] ?? null) : 10;
    if (r.de === B) return values[B]!;
    return null;
  };

  it('parses references with combos and wildcards', () => {
    expect(references(parseExpression(`#{${A}} + #{${A}.${C1}} - #{${B}.*.${C1}}`))).toEqual([
      { de: A, coc: null, aoc: null },
      { de: A, coc: C1, aoc: null },
      { de: B, coc: null, aoc: C1 },
    ]);
  });

  it('evaluates arithmetic with precedence, parentheses and unary minus', () => {
    expect(evaluate(parseExpression(`#{${A}} + #{${B}} * 2`), lookup).value).toBe(20);
    expect(evaluate(parseExpression(`(#{${A}} + #{${B}}) * 2`), lookup).value).toBe(30);
    expect(evaluate(parseExpression(`-#{${A}.${C1}} / 2 + 1.5e1`), lookup).value).toBe(13);
  });

  it('counts missing references as 0 and reports them', () => {
    const e = evaluate(parseExpression(`#{${A}.${C1}} + #{ZZZZZZZZZZZ}`), lookup);
    expect(e).toEqual({ value: 4, references: 2, missing: 1 });
  });

  it('gives null for a division by zero', () => {
    expect(evaluate(parseExpression(`#{${A}} / (#{${B}} - 5)`), lookup).value).toBeNull();
  });

  it.each([
    ['#{abc}', /not a data element UID/],
    [`#{${A}`, /never closed/],
    [`#{${A}} +`, /ends too early/],
    [`#{${A}} ) `, /unexpected "\)"/],
    [`(#{${A}}`, /"\)" is missing/],
    [`#{${A}.x.y.z}`, /at most three parts/],
    [`#{${A}} % 2`, /unexpected "%"/],
  ])('refuses %s naming the character', (text, message) => {
    expect(() => parseExpression(text)).toThrow(message);
    expect(() => parseExpression(text)).toThrow(/at character \d+/);
  });
});

describe('outlier scores', () => {
  const history = [100, 104, 98, 101, 97, 103, 99, 102];

  it('flags a value far from the history by z-score and by modified z-score', () => {
    const z = outlierScore(160, history, 'Z_SCORE', 3)!;
    // mean 100.5, sample sd 2.449...: z = 59.5 / 2.449 = 24.3
    expect(z.center).toBeCloseTo(100.5, 10);
    expect(z.score).toBeCloseTo(59.5 / Math.sqrt(history.reduce((a, v) => a + (v - 100.5) ** 2, 0) / 7), 10);
    const m = outlierScore(160, history, 'MOD_Z_SCORE', 3.5)!;
    // median 100.5, MAD = median(|x - 100.5|) = 2 → modified z = 0.6745 × 59.5 / 2
    expect(m.center).toBe(100.5);
    expect(m.score).toBeCloseTo((0.6745 * 59.5) / 2, 10);
  });

  it('leaves ordinary values, short histories and constant histories with the same value alone', () => {
    expect(outlierScore(103, history, 'Z_SCORE', 3)).toBeNull();
    expect(outlierScore(103, history, 'MOD_Z_SCORE', 3.5)).toBeNull();
    expect(outlierScore(1000, [1, 2, 3], 'Z_SCORE', 3)).toBeNull();
    expect(outlierScore(5, [5, 5, 5, 5], 'MOD_Z_SCORE', 3.5)).toBeNull();
    expect(outlierScore(9, [5, 5, 5, 5], 'MOD_Z_SCORE', 3.5)).toEqual({ score: null, center: 5 });
  });

  it('falls back to the mean absolute deviation when most of the history equals the median (MAD = 0)', () => {
    const mostlyEight = [8, 8, 8, 9, 7, 8, 8];
    // MeanAD = 2/7, spread = 1.253314 × 2/7: a 9 scores 2.79 (no outlier), a 20 scores 33.5.
    expect(outlierScore(9, mostlyEight, 'MOD_Z_SCORE', 3.5)).toBeNull();
    expect(outlierScore(20, mostlyEight, 'MOD_Z_SCORE', 3.5)!.score).toBeCloseTo(12 / ((1.253314 * 2) / 7), 6);
  });

  it('is robust where the z-score is not: one earlier spike hides nothing from the modified z-score', () => {
    const spiky = [100, 101, 99, 100, 102, 98, 5000];
    expect(outlierScore(180, spiky, 'Z_SCORE', 3)).toBeNull();
    expect(outlierScore(180, spiky, 'MOD_Z_SCORE', 3.5)).not.toBeNull();
  });
});
