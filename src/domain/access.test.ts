import { describe, expect, it } from 'vitest';
import { roleWithin, scopeWithin } from './access.js';

const UGA = '/uga/';
const UGA_CENTRAL = '/uga/central/';
const UGA_WESTERN = '/uga/western/';
const KEN = '/ken/';

describe('scopeWithin', () => {
  it('puts every scope within everywhere', () => {
    expect(scopeWithin([UGA], null)).toBe(true);
    expect(scopeWithin(null, null)).toBe(true);
    expect(scopeWithin([], null)).toBe(true);
  });

  it('never puts everywhere (null or an unscoped user) within a scope', () => {
    expect(scopeWithin(null, [UGA])).toBe(false);
    expect(scopeWithin([], [UGA])).toBe(false);
  });

  it('needs every place of the inner scope inside one of the outer scope', () => {
    expect(scopeWithin([UGA], [UGA])).toBe(true);
    expect(scopeWithin([UGA_CENTRAL], [UGA])).toBe(true);
    expect(scopeWithin([UGA_CENTRAL, UGA_WESTERN], [UGA_CENTRAL, UGA_WESTERN])).toBe(true);
    expect(scopeWithin([UGA_CENTRAL, KEN], [UGA])).toBe(false);
    expect(scopeWithin([UGA_CENTRAL, UGA_WESTERN], [UGA_CENTRAL])).toBe(false);
  });

  it('does not put a country within one of its areas', () => {
    expect(scopeWithin([UGA], [UGA_CENTRAL])).toBe(false);
  });

  it('compares whole path segments, not name prefixes', () => {
    expect(scopeWithin(['/uganda/'], ['/ug/'])).toBe(false);
  });

  it('puts nothing within an empty scope', () => {
    expect(scopeWithin([UGA], [])).toBe(false);
  });
});

describe('roleWithin', () => {
  it('orders roles from most to least power', () => {
    expect(roleWithin('viewer', 'admin')).toBe(true);
    expect(roleWithin('admin', 'admin')).toBe(true);
    expect(roleWithin('admin', 'country_manager')).toBe(false);
    expect(roleWithin('data_entry', 'country_manager')).toBe(true);
  });
});
