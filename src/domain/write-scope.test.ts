import { describe, expect, it } from 'vitest';
import { canonicalJson, changedFields, refuseSharedChange, spansBeyondScope } from './write-scope.js';

describe('write scope helpers', () => {
  it('compares stored and submitted values whatever their key order, absent as null', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(
      changedFields({ title: 'A', description: null, donors: [{ amountUsd: 5, name: 'X' }] }, { title: 'A', donors: [{ name: 'X', amountUsd: 5 }] }),
    ).toEqual([]);
    expect(changedFields({ title: 'A', status: 'active' }, { title: 'B', status: 'active' }, ['title', 'status'])).toEqual(['title']);
  });

  it('refuses with FORBIDDEN, naming the record only', () => {
    const e = spansBeyondScope('corridor', 'NC (Northern)');
    expect(e).toMatchObject({ code: 'FORBIDDEN', details: { object: 'NC (Northern)' } });
    expect(e.message).toMatch(/^corridor NC \(Northern\) also covers places outside your scope/);
    expect(() => refuseSharedChange({ scopePaths: ['/UGA/'] }, 'population group', 'truckers')).toThrow(/shared by every country/);
    expect(() => refuseSharedChange({ scopePaths: null }, 'population group', 'truckers')).not.toThrow();
  });
});
