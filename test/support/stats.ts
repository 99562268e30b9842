/**
 * Small statistics for the model validation tests: binomial intervals, means, quantiles, and the
 * Weibull moments. No dependencies, so the tests check the model against independent arithmetic.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

export const gamma = (x: number): number => Math.exp(lnGamma(x));

/**
 * The central interval of Binomial(n, p) holding at least `level` of its mass: the smallest k with
 * P(X ≤ k) ≥ (1 − level)/2 and the smallest k with P(X ≤ k) ≥ (1 + level)/2. Exact (summed pmf).
 */
export function binomialInterval(n: number, p: number, level: number): { lo: number; hi: number } {
  if (p <= 0) return { lo: 0, hi: 0 };
  if (p >= 1) return { lo: n, hi: n };
  const tail = (1 - level) / 2;
  const lnC = (k: number) => lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
  const pmf = (k: number) => Math.exp(lnC(k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
  // Sum from a few standard deviations below the mean: the mass further down is negligible.
  const sd = Math.sqrt(n * p * (1 - p));
  let k = Math.max(0, Math.floor(n * p - 12 * sd - 10));
  let cdf = 0;
  let lo = -1;
  for (; k <= n; k++) {
    cdf += pmf(k);
    if (lo < 0 && cdf >= tail) lo = k;
    if (cdf >= 1 - tail) return { lo, hi: k };
  }
  return { lo: Math.max(0, lo), hi: n };
}

/**
 * Order-statistic interval for the q-quantile of a sample of size n: ranks (0-based, sorted)
 * between which the true quantile lies with probability ≥ level (distribution-free).
 */
export function quantileRankInterval(n: number, q: number, level: number): { lo: number; hi: number } {
  const { lo, hi } = binomialInterval(n, q, level);
  return { lo: Math.max(0, lo - 1), hi: Math.min(n - 1, hi) };
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Sample standard deviation. */
export function sd(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

export function sorted(xs: ArrayLike<number>): number[] {
  return Array.from(xs).sort((a, b) => a - b);
}

/** Sample median. */
export function median(xs: ArrayLike<number>): number {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Weibull(shape k, scale λ): median, mean and standard deviation. */
export function weibullMoments(shape: number, scale: number): { median: number; mean: number; sd: number } {
  const m1 = scale * gamma(1 + 1 / shape);
  const m2 = scale * scale * gamma(1 + 2 / shape);
  return { median: scale * Math.pow(Math.LN2, 1 / shape), mean: m1, sd: Math.sqrt(m2 - m1 * m1) };
}

/** Weibull cumulative distribution function. */
export const weibullCdf = (x: number, shape: number, scale: number): number => 1 - Math.exp(-Math.pow(x / scale, shape));

/**
 * Kolmogorov–Smirnov distance between a sample and a distribution function; with the sample of
 * size n, sup|F_n − F| exceeds 1.95/√n with probability about 0.001.
 */
export function ksDistance(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = sorted(xs);
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d;
}
