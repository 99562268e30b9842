import { z } from 'zod';

/**
 * Messages for a programme officer rather than a developer: "must be one of country, admin1"
 * instead of zod's defaults. Installed once, before any schema is used.
 */
z.config({
  customError: (iss) => {
    if (iss.code === 'invalid_value' && iss.values.length > 0) return `must be one of ${iss.values.join(', ')}`;
    if (iss.code === 'invalid_type' && iss.expected === 'number') return 'must be a number';
    if (iss.code === 'invalid_type' && iss.input === undefined) return 'is required';
    if (iss.code === 'too_small' && iss.origin === 'number') return `must be at least ${String(iss.minimum)}`;
    if (iss.code === 'too_big' && iss.origin === 'number') return `must be at most ${String(iss.maximum)}`;
    if (iss.code === 'invalid_type' && iss.expected === 'int') return 'must be a whole number';
    return undefined;
  },
});

export { z };
