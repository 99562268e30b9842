import { describe, expect, it } from 'vitest';
import { chooseEncoding, etagOf, matchesIfNoneMatch, ResponseCache, type CachedBody } from './cache.js';

const entry = (generation: number, bytes = 10): CachedBody => ({
  generation,
  createdAt: Date.now(),
  contentType: 'application/json',
  headers: {},
  body: Buffer.alloc(bytes),
  etag: 'W/"x"',
  encoded: {},
});

describe('chooseEncoding', () => {
  it('prefers br, then gzip, then deflate, honouring q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip;q=0.5, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
  });
});

describe('ResponseCache', () => {
  it('serves an entry only at its generation', () => {
    const cache = new ResponseCache(1000, Infinity);
    cache.set('k', entry(3));
    expect(cache.get('k', 3)).toBeDefined();
    expect(cache.get('k', 4)).toBeUndefined();
    // A stale entry is gone, not only hidden.
    expect(cache.get('k', 3)).toBeUndefined();
  });

  it('drops the least recently used entries beyond its byte budget', () => {
    const cache = new ResponseCache(50, Infinity);
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    expect(cache.get('a', 1)).toBeDefined();
    cache.set('c', entry(1));
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBeDefined();
    expect(cache.get('c', 1)).toBeDefined();
  });

  it('serves nothing older than its maximum age', () => {
    const cache = new ResponseCache(1000, -1);
    cache.set('k', entry(1));
    expect(cache.get('k', 1)).toBeUndefined();
  });
});

describe('ETag and If-None-Match', () => {
  it('makes a validator that follows the bytes of the answer', () => {
    const a = etagOf(Buffer.from('{"type":"FeatureCollection","features":[]}'));
    expect(a).toMatch(/^W\/"[\w-]{32}"$/);
    expect(etagOf(Buffer.from('{"type":"FeatureCollection","features":[]}'))).toBe(a);
    expect(etagOf(Buffer.from('{"type":"FeatureCollection","features":[1]}'))).not.toBe(a);
  });

  it('compares weakly, in lists, and honours *', () => {
    const tag = 'W/"abc"';
    expect(matchesIfNoneMatch('W/"abc"', tag)).toBe(true);
    expect(matchesIfNoneMatch('"abc"', tag)).toBe(true);
    expect(matchesIfNoneMatch('W/"x", W/"abc"', tag)).toBe(true);
    expect(matchesIfNoneMatch(['W/"x"', 'W/"abc"'], tag)).toBe(true);
    expect(matchesIfNoneMatch('*', tag)).toBe(true);
    expect(matchesIfNoneMatch('W/"abcd"', tag)).toBe(false);
    expect(matchesIfNoneMatch('', tag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, tag)).toBe(false);
  });
});
