import { AppError, describeIssues } from '../domain/errors.js';
import { zodIssues, type z } from '../domain/validation.js';

/**
 * Checks service input against its schema (the limits every entry point shares: API, CLI, files)
 * (every string refuses NUL and lone surrogates, src/domain/zod.ts), as VALIDATION_FAILED naming the field.
 */
export function conform<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, input, what, schema);
    throw new AppError('VALIDATION_FAILED', `invalid ${what}: ${describeIssues(issues)}`, issues);
  }
  return parsed.data;
}
