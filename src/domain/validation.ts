import * as z from './zod.js';
import { echoable, isSecretField, type Issue } from './errors.js';
import { labelAt, optionNames } from './labels.js';

/**
 * Messages for a programme officer rather than a developer: "must be one of country, admin1"
 * instead of zod's defaults. Installed once, before any schema is used.
 */
z.config({
  customError: (iss) => {
    if (iss.code === 'invalid_value' && iss.values.length > 0) {
      // A labelled enum (labels.ts) lists its options by name; the codes stay in the issue's `allowed`.
      const names = optionNames(iss.inst);
      const list = iss.values.map((v) => (typeof v === 'string' && names?.[v]) || String(v)).join(', ');
      return iss.input === undefined || iss.input === '' ? `is required: choose one of ${list}` : `must be one of ${list}`;
    }
    if (iss.code === 'invalid_type' && iss.input === undefined) return 'is required';
    if (iss.code === 'invalid_type' && iss.expected === 'number') return 'must be a number';
    if (iss.code === 'invalid_type' && iss.expected === 'int') return 'must be a whole number';
    if (iss.code === 'too_small' && iss.origin === 'number') {
      return iss.inclusive ? `must be at least ${String(iss.minimum)}` : `must be greater than ${String(iss.minimum)}`;
    }
    if (iss.code === 'too_small' && iss.origin === 'string') {
      return Number(iss.minimum) <= 1 ? 'must not be empty' : `must be at least ${String(iss.minimum)} characters`;
    }
    if (iss.code === 'too_small' && iss.origin === 'array') {
      return Number(iss.minimum) <= 1 ? 'must have at least one item' : `must have at least ${String(iss.minimum)} items`;
    }
    if (iss.code === 'too_big' && iss.origin === 'array') return `must have at most ${String(iss.maximum)} items`;
    if (iss.code === 'too_big' && iss.origin === 'string') return `must be at most ${String(iss.maximum)} characters`;
    if (iss.code === 'too_big' && iss.origin === 'number') {
      return iss.inclusive ? `must be at most ${String(iss.maximum)}` : `must be less than ${String(iss.maximum)}`;
    }
    if (iss.code === 'invalid_union' && iss.note === 'No matching discriminator') {
      return `unknown ${String(iss.discriminator ?? 'type')}`;
    }
    return undefined;
  },
});

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar day YYYY-MM-DD in years 1–9999 (PostgreSQL has no year 0). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1]!);
}

/** A calendar date as YYYY-MM-DD: 2024-02-30, 2023-13-01 and 0000-01-01 are refused. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDate, { message: 'is not a calendar date', abort: true })
  .meta({ format: 'date' });

/** An ISO 8601 instant with its offset (2024-03-01T08:00:00Z) on a real calendar day. */
export const isoDateTime = z.iso
  .datetime({ offset: true, error: 'must be a date and time as YYYY-MM-DDThh:mm:ssZ' })
  .refine(isCalendarDate, { message: 'is not a calendar date', abort: true });

/**
 * Turns zod issues into Corridor issues naming the field and value that were wrong (never the value
 * of a secret field). With the schema that was checked, each issue also gets the field's label
 * (labels.ts), so that messages say "Lowest size estimate must not exceed the highest" rather than
 * "sizeLow …"; the field path, zod's issue code and the allowed codes stay in the issue for programs.
 */
export function zodIssues(error: z.ZodError, input: unknown, where: string, schema?: z.ZodType): Issue[] {
  return error.issues.map((i) => {
    const field = i.path.join('.');
    const value = echoable(i.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input));
    if (i.code === 'unrecognized_keys') {
      return {
        field: i.keys.join(', '),
        code: i.code,
        message: `unknown ${where} parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`,
      };
    }
    const label = labelAt(schema, i.path);
    return {
      field: field || where,
      ...(label ? { label } : {}),
      ...(value !== undefined && !isSecretField(field) ? { value } : {}),
      message: i.message,
      code: i.code,
      ...(i.code === 'invalid_value' ? { allowed: i.values } : {}),
    };
  });
}

/** Gives hand-made issues (a service's own checks) the labels of their fields in `schema`. */
export function labelIssues(schema: z.ZodType, issues: Issue[]): Issue[] {
  return issues.map((i) => {
    const label = i.label ?? (i.field ? labelAt(schema, i.field) : undefined);
    return label ? { ...i, label } : i;
  });
}

export { z };
