import type { DataValueOut } from '../../src/domain/monitoring.js';

/** A stored data value as the exporters see it (the sample's first value), for format tests. */
export function sampleValue(comment: string): DataValueOut {
  return {
    dataElement: 'f7n9E0hX8qk',
    period: '201201',
    orgUnit: 'DiszpKrYNg8',
    categoryOptionCombo: 'HllvX50cXC0',
    attributeOptionCombo: 'HllvX50cXC0',
    value: '10001',
    storedBy: 'john',
    created: '2012-01-01T00:00:00.000Z',
    lastUpdated: '2012-01-02T00:00:00.000Z',
    comment,
    followup: false,
  };
}
