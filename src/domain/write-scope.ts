import { AppError } from './errors.js';

/**
 * The refusal of a write to a record that also covers places outside the actor's scope (docs/access.md,
 * "Writing records that span scopes"). It names the record, never the hidden places.
 */
export function spansBeyondScope(noun: string, label: string, what = 'change or delete it'): AppError {
  return new AppError('FORBIDDEN', `${noun} ${label} also covers places outside your scope: only a user whose scope covers all of it may ${what}`, {
    reason: 'outside-scope',
    object: label,
  });
}

/** JSON with object keys sorted, so that a stored (jsonb) and a submitted value compare equal. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}

/** The keys (of `keys`, or of either object) whose values differ between two records. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  keys: string[] = [...new Set([...Object.keys(before), ...Object.keys(after)])],
): string[] {
  return keys.filter((k) => canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null));
}

/**
 * Shared reference data (the taxonomy, population groups, M&E metadata) is used by every country:
 * a scoped actor may add to it, but changing or deleting an existing object needs an unscoped one.
 */
export function refuseSharedChange(actor: { scopePaths: string[] | null }, noun: string, label: string): void {
  if (actor.scopePaths === null) return;
  throw new AppError('FORBIDDEN', `${noun} ${label} is shared by every country: only an unscoped admin may change or delete it (you may add new ones)`, {
    reason: 'shared-reference',
    object: label,
  });
}
