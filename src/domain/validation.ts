import { z } from 'zod';
import { isSecretField, type Issue } from './errors.js';

/**
 * Messages for a programme officer rather than a developer: "must be one of country, admin1"
 * instead of zod's defaults. Installed once, before any schema is used.
 */
z.config({
  customError: (iss) => {
    if (iss.code === 'invalid_value' && iss.values.length > 0) return `must be one of ${iss.values.join(', ')}`;
    if (iss.code === 'invalid_type' && iss.input === undefined) return 'is required';
    if (iss.code === 'invalid_type' && iss.expected === 'number') return 'must be a number';
    if (iss.code === 'invalid_type' && iss.expected === 'int') return 'must be a whole number';
    if (iss.code === 'too_small' && iss.origin === 'number') {
      return iss.inclusive ? `must be at least ${String(iss.minimum)}` : `must be greater than ${String(iss.minimum)}`;
    }
    if (iss.code === 'too_small' && iss.origin === 'string') {
      return Number(iss.minimum) <= 1 ? 'must not be empty' : `must be at least ${String(iss.minimum)} characters`;
    }
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

/** Turns zod issues into Corridor issues naming the field and value that were wrong (never the value of a secret field). */
export function zodIssues(error: z.ZodError, input: unknown, where: string): Issue[] {
  return error.issues.map((i) => {
    const field = i.path.join('.');
    const value = i.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
    if (i.code === 'unrecognized_keys') {
      return { field: i.keys.join(', '), message: `unknown ${where} parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    return { field: field || where, ...(value !== undefined && !isSecretField(field) ? { value } : {}), message: i.message };
  });
}

export { z };
