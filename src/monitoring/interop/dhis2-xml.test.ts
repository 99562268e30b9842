import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import { sampleValue } from '../../../test/support/dhis2-value.js';
import { escapeXmlAttribute, formatDhis2Xml, parseDhis2Xml, parseXmlElements } from './dhis2-xml.js';

const sample = readFileSync(new URL('../../../test/fixtures/dhis2/dataValueSetA.xml', import.meta.url), 'utf8');

// Text that the format must escape.
const value = sampleValue(`<a & b> "c" 'd'\n\tend`);

function bad(text: string, message: RegExp) {
  try {
    parseDhis2Xml(text);
    expect.unreachable();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('IMPORT_INVALID');
    expect((err as AppError).message).toMatch(message);
  }
}

describe('DHIS2 DXF2 XML', () => {
  it('parses the DHIS2 sample, attributes spread over lines', () => {
    const set = parseDhis2Xml(sample);
    expect(set.dataValues).toHaveLength(3);
    expect(set.dataValues[1]).toEqual({
      dataElement: 'f7n9E0hX8qk',
      period: '201201',
      orgUnit: 'BdfsJfj87js',
      value: '10002',
      storedBy: 'john',
      lastUpdated: '2012-01-02',
      comment: 'comment',
      followup: false,
    });
  });

  it('formats and parses back the same values, escaping attributes', () => {
    const text = formatDhis2Xml({ dataSet: 'TestDataSet', dataValues: [value, { ...value, value: null, comment: null, deleted: true }] });
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<dataValueSet xmlns="http:\/\/dhis2.org\/schema\/dxf\/2.0" dataSet="TestDataSet">/);
    const set = parseDhis2Xml(text);
    expect(set.dataSet).toBe('TestDataSet');
    const { followup, ...rest } = value;
    expect(set.dataValues[0]).toEqual({ ...rest, followup });
    expect(set.dataValues[1]).toMatchObject({ deleted: true });
    expect(set.dataValues[1]).not.toHaveProperty('value');
    expect(escapeXmlAttribute('a&b<c>"\'')).toBe('a&amp;b&lt;c&gt;&quot;&apos;');
  });

  it('decodes named and numeric entities, comments, explicit closing tags and set-level attributes', () => {
    const set = parseDhis2Xml(`<?xml version="1.0"?>
<!-- a comment <dataValue/> -->
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="202401" orgUnit='OU1' attributeOptionCombo="HllvX50cXC0">
  <dataValue dataElement="DE1" value="5" comment="&amp;&lt;&gt;&quot;&apos;&#65;&#x42;"></dataValue>
  <!-- another -->
  <dataValue dataElement="DE2" value="" />
</dataValueSet>`);
    expect(set).toMatchObject({ period: '202401', orgUnit: 'OU1', attributeOptionCombo: 'HllvX50cXC0' });
    expect(set.dataValues).toEqual([
      { dataElement: 'DE1', value: '5', comment: `&<>"'AB` },
      { dataElement: 'DE2', value: '' },
    ]);
    expect(parseXmlElements('<a><b/></a>').children[0]!.name).toBe('b');
  });

  it('refuses anything else, naming the line', () => {
    bad('<dataValueSet>\n<dataValue dataElement="A" comment="x &nbsp; y"/>\n</dataValueSet>', /^XML line 2: unknown entity &nbsp;/);
    bad('<dataValueSet>\n\n<dataValue dataElement="A">text</dataValue></dataValueSet>', /^XML line 3: text content/);
    bad('<dataValueSet>\n<dataValue dataElement="A"/>\n</dataValueSets>', /^XML line 3: <\/dataValueSets> closes <dataValueSet>/);
    bad('<dataValueSet>\n<dataValue dataElement="A"/>\n', /^XML line 1: <dataValueSet> is never closed/);
    bad('<!DOCTYPE x>\n<dataValueSet/>', /^XML line 1: only elements/);
    bad('<dataValueSet>\n<![CDATA[x]]></dataValueSet>', /^XML line 2: only elements/);
    bad('<dataValueSet>\n<dataValue dataElement=A/></dataValueSet>', /^XML line 2: the value of dataElement must be quoted/);
    bad('<dataValueSet>\n<dataValue dataElement="A" dataElement="B"/></dataValueSet>', /^XML line 2: attribute dataElement appears twice/);
    bad('<dataValueSet>\n<dataValue dataElement="A" value="a & b"/></dataValueSet>', /^XML line 2: "&" must start an entity/);
    bad('<dataValueSet>\n<dataValue dataElement="A" value="a<b"/></dataValueSet>', /^XML line 2: "<" is not allowed/);
    bad('<dataValueSet>\n<other/></dataValueSet>', /^XML line 2: <dataValueSet> may hold only <dataValue>/);
    bad('<dataValueSet>\n<dataValue value="1"/></dataValueSet>', /^XML line 2: <dataValue> needs a dataElement/);
    bad('<dataValues/>', /^XML line 1: the root element must be <dataValueSet>/);
    bad('<dataValueSet/>\n<dataValueSet/>', /^XML line 2: a second root element/);
    bad('', /no root element/);
    bad('<dataValueSet>\n<dataValue dataElement="A" followup="yes"/></dataValueSet>', /^XML line 2: followup must be true or false/);
  });
});
