import * as base from 'zod';

export * from 'zod';

/** True when `s` holds a NUL character, which PostgreSQL refuses in text and jsonb. */
export function hasNul(s: string): boolean {
  return s.includes('\u0000');
}

/** True when `s` holds a lone UTF-16 surrogate: not Unicode text, and refused in jsonb. */
export function hasLoneSurrogate(s: string): boolean {
  return /\p{Cs}/u.test(s);
}

export const NUL_MESSAGE = 'must not contain a NUL character (\\0)';
export const SURROGATE_MESSAGE = 'must be valid Unicode text (it holds a lone UTF-16 surrogate)';

/** What is wrong with text that cannot be stored, or null: for readers that check fields by hand. */
export function textProblem(s: string): string | null {
  return hasNul(s) ? NUL_MESSAGE : hasLoneSurrogate(s) ? SURROGATE_MESSAGE : null;
}

/**
 * zod's string with Corridor's text rules: no NUL and no lone surrogate, so that such input is
 * refused naming its field instead of failing in the database. Every schema of the app builds
 * its strings with this (through `z` of validation.ts), so HTTP, CLI and file imports all get it.
 */
export function string(params?: Parameters<typeof base.string>[0]): base.ZodString {
  return base
    .string(params)
    .refine((s) => !hasNul(s), { message: NUL_MESSAGE, abort: true })
    .refine((s) => !hasLoneSurrogate(s), { message: SURROGATE_MESSAGE, abort: true });
}
