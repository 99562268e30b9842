import { AppError, describeIssues, type Issue } from '../domain/errors.js';
import { zodIssues, type z } from '../domain/validation.js';
import { unstorableValue } from './text.js';

/** A long value quoted in a message is cut to its start: a 10 MB field must not come back whole. */
function shortened(issue: Issue): Issue {
  const v = issue.value;
  if (typeof v === 'string' && v.length > 80) return { ...issue, value: `${v.slice(0, 40)}… (${v.length} characters)` };
  if (v !== null && typeof v === 'object') return { ...issue, value: undefined };
  return issue;
}

/**
 * Checks service input against its schema (the limits every entry point shares: API, CLI, files)
 * and refuses text that cannot be stored (NUL, lone surrogates), as VALIDATION_FAILED naming the field.
 */
export function conform<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, input, what).map(shortened);
    throw new AppError('VALIDATION_FAILED', `invalid ${what}: ${describeIssues(issues)}`, issues);
  }
  const bad = unstorableValue(parsed.data);
  if (bad) throw new AppError('VALIDATION_FAILED', `invalid ${what}: ${bad}`, [{ field: bad.split(':')[0]!, message: bad.slice(bad.indexOf(':') + 2) }]);
  return parsed.data;
}
