import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import { parsePeriod } from '../../shared/periods.js';
import { adxPeriodToDhis2, dhis2PeriodToAdx, formatAdx, parseAdx, type AdxGroupInput } from './adx.js';

function fails(run: () => unknown, code: string, message: RegExp): AppError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect((err as AppError).message).toMatch(message);
    return err as AppError;
  }
  return expect.unreachable();
}

// The shape of the example in the DHIS2 documentation (Data > ADX data format).
const dhis2Example = `<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:ihe:qrph:adx:2015 ../schema/adx_loose.xsd"
    exported="2015-02-08T19:30:00Z">
  <group orgUnit="OU_559" period="2015-06-01/P1M" completeDate="2015-07-01" dataSet="(TB/HIV)VCCT">
    <dataValue dataElement="VCCT_0" GENDER="FMLE" HIV_AGE="AGE0-14" value="32"/>
    <dataValue dataElement="VCCT_1" GENDER="FMLE" HIV_AGE="AGE0-14" value="20"/>
    <dataValue dataElement="MAL_POP" GENDER="MLE" value="10"/>
    <!-- a value with a comment -->
    <dataValue dataElement="MAL_PREG" value="10">
      <annotation>This is a comment.</annotation>
    </dataValue>
  </group>
  <group orgUnit="OU_559" period="2015-06-01/P1M" completeDate="2015-07-01" dataSet="(TB/HIV)VCCT" FUNDER="PEPFAR">
    <dataValue dataElement="VCCT_0" GENDER="FMLE" HIV_AGE="AGE0-14" value="22"/>
  </group>
</adx>
`;

describe('ADX periods', () => {
  it.each([
    ['2024-03-15/P1D', '20240315'],
    ['2024-01-01/P7D', '2024W1'],
    ['2024-01-03/P7D', '2024WedW1'],
    ['2024-01-04/P7D', '2024ThuW1'],
    ['2023-12-30/P7D', '2024SatW1'],
    ['2023-12-31/P7D', '2024SunW1'],
    ['2024-01-01/P14D', '2024BiW1'],
    ['2020-12-28/P14D', '2020BiW27'],
    ['2015-06-01/P1M', '201506'],
    ['2024-03-01/P2M', '202402B'],
    ['2024-01-01/P3M', '2024Q1'],
    ['2023-11-01/P3M', '2024NovQ1'],
    ['2024-01-01/P6M', '2024S1'],
    ['2024-07-01/P6M', '2024S2'],
    ['2024-04-01/P6M', '2024AprilS1'],
    ['2024-10-01/P6M', '2024AprilS2'],
    ['2023-11-01/P6M', '2024NovS1'],
    ['2024-01-01/P1Y', '2024'],
    ['2024-04-01/P1Y', '2024April'],
    ['2024-07-01/P1Y', '2024July'],
    ['2023-10-01/P1Y', '2023Oct'],
    ['2022-11-01/P1Y', '2023Nov'],
  ])('%s is %s, both ways', (adx, id) => {
    expect(adxPeriodToDhis2(adx)).toBe(id);
    expect(dhis2PeriodToAdx(id)).toBe(adx);
    const p = parsePeriod(id);
    expect(p.startDate).toBe(adx.slice(0, 10));
  });

  it('ends the DHIS2 period the day before start + duration', () => {
    expect(parsePeriod(adxPeriodToDhis2('2024-02-01/P1M')).endDate).toBe('2024-02-29');
    expect(parsePeriod(adxPeriodToDhis2('2024-04-01/P6M')).endDate).toBe('2024-09-30');
    expect(parsePeriod(adxPeriodToDhis2('2023-10-01/P1Y')).endDate).toBe('2024-09-30');
    expect(parsePeriod(adxPeriodToDhis2('2024-12-30/P7D')).endDate).toBe('2025-01-05');
  });

  it('accepts the other DHIS2 id forms and writes their ADX form', () => {
    expect(dhis2PeriodToAdx('2024-03')).toBe('2024-03-01/P1M');
    expect(dhis2PeriodToAdx('2024W05')).toBe('2024-01-29/P7D');
  });

  it.each([
    ['2024-01-02/P7D', /2024-01-02\/P7D: no DHIS2 period of P7D starts on 2024-01-02 \(a Tuesday\)/],
    [
      '2024-03-01/P3M',
      /^2024-03-01\/P3M: no DHIS2 period of P3M starts on 2024-03-01; P3M periods start on the 1st of January, April, July or October \(Quarterly\)/,
    ],
    ['2024-06-15/P1M', /^2024-06-15\/P1M/],
    ['2024-01-01/P2Y', /^2024-01-01\/P2Y: the duration must be one of/],
    ['2024-02-30/P1D', /^2024-02-30\/P1D/],
    ['201506', /an ADX period is a start date and a duration/],
  ])('refuses %s, naming it', (adx, message) => {
    fails(() => adxPeriodToDhis2(adx), 'INVALID_PERIOD', message);
  });

  it('refuses a DHIS2 id that is not a period', () => {
    fails(() => dhis2PeriodToAdx('2024Q5'), 'INVALID_PERIOD', /2024Q5/);
  });
});

describe('ADX documents', () => {
  it('parses the DHIS2 documentation example', () => {
    const doc = parseAdx(dhis2Example);
    expect(doc.exported).toBe('2015-02-08T19:30:00Z');
    expect(doc.groups).toHaveLength(2);
    const [g1, g2] = doc.groups;
    expect(g1).toMatchObject({ line: 6, orgUnit: 'OU_559', period: '201506', dataSet: '(TB/HIV)VCCT', completeDate: '2015-07-01', attributes: {} });
    expect(g1!.dataValues[0]).toEqual({ line: 7, dataElement: 'VCCT_0', value: '32', categories: { GENDER: 'FMLE', HIV_AGE: 'AGE0-14' } });
    expect(g1!.dataValues[2]).toEqual({ line: 9, dataElement: 'MAL_POP', value: '10', categories: { GENDER: 'MLE' } });
    expect(g1!.dataValues[3]).toEqual({ line: 11, dataElement: 'MAL_PREG', value: '10', categories: {}, comment: 'This is a comment.' });
    expect(g2).toMatchObject({ line: 15, attributes: { FUNDER: 'PEPFAR' } });
    expect(g2!.dataValues).toHaveLength(1);
  });

  it('resolves namespace prefixes and ignores prefixed attributes', () => {
    const doc = parseAdx(`<a:adx xmlns:a="urn:ihe:qrph:adx:2015" xmlns:x="urn:example">
  <a:group orgUnit="OU" period="2024-01-01/P3M" dataSet="DS" x:note="n" xml:lang="en">
    <a:dataValue dataElement="DE" value="1" SEX="F" x:flag="y"><a:annotation>c</a:annotation></a:dataValue>
  </a:group>
</a:adx>`);
    expect(doc.groups[0]).toEqual({
      line: 2,
      orgUnit: 'OU',
      period: '2024Q1',
      dataSet: 'DS',
      attributes: {},
      dataValues: [{ line: 3, dataElement: 'DE', value: '1', categories: { SEX: 'F' }, comment: 'c' }],
    });
  });

  it('formats and parses back the same groups, escaping values and comments', () => {
    const groups: AdxGroupInput[] = [
      {
        orgUnit: 'OU_1',
        period: '2024Q1',
        dataSet: 'DS & <co> "x"',
        completeDate: '2024-04-10',
        attributes: { FUNDER: 'A&B' },
        dataValues: [
          { dataElement: 'DE1', value: 'a & b < c "d" \'e\'', categories: { SEX: 'F', AGE: '15-24' } },
          { dataElement: 'DE2', value: '7', categories: {}, comment: 'line 1\nline 2 & <3> ]]> "q"' },
          { dataElement: 'DE3', value: null, categories: {}, comment: null },
        ],
      },
      { orgUnit: 'OU_2', period: '2023Oct', dataSet: 'DS', attributes: {}, dataValues: [] },
    ];
    const text = formatAdx(groups, '2024-05-01T00:00:00Z');
    expect(
      text.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-05-01T00:00:00Z">\n  <group orgUnit="OU_1" period="2024-01-01/P3M"',
      ),
    ).toBe(true);
    expect(text).toContain('dataSet="DS &amp; &lt;co&gt; &quot;x&quot;"');
    expect(text).toContain('    <dataValue dataElement="DE1" SEX="F" AGE="15-24" value="a &amp; b &lt; c &quot;d&quot; &apos;e&apos;"/>');
    expect(text).toContain('<annotation>line 1\nline 2 &amp; &lt;3&gt; ]]&gt; "q"</annotation>');
    expect(text).toContain('<group orgUnit="OU_2" period="2023-10-01/P1Y" dataSet="DS"/>');
    const doc = parseAdx(text);
    expect(doc.exported).toBe('2024-05-01T00:00:00Z');
    expect(doc.groups.map(({ line: _l, dataValues, ...g }) => ({ ...g, dataValues: dataValues.map(({ line: _v, ...v }) => v) }))).toEqual([
      {
        orgUnit: 'OU_1',
        period: '2024Q1',
        dataSet: 'DS & <co> "x"',
        completeDate: '2024-04-10',
        attributes: { FUNDER: 'A&B' },
        dataValues: [
          { dataElement: 'DE1', value: 'a & b < c "d" \'e\'', categories: { SEX: 'F', AGE: '15-24' } },
          { dataElement: 'DE2', value: '7', categories: {}, comment: 'line 1\nline 2 & <3> ]]> "q"' },
          { dataElement: 'DE3', value: '', categories: {} },
        ],
      },
      { orgUnit: 'OU_2', period: '2023Oct', dataSet: 'DS', attributes: {}, dataValues: [] },
    ]);
    expect(formatAdx([])).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="urn:ihe:qrph:adx:2015">\n</adx>\n');
  });

  it('refuses category codes that cannot be attribute names, and empty ids', () => {
    const g = (attributes: Record<string, string>, categories: Record<string, string> = {}, dataElement = 'DE'): AdxGroupInput[] => [
      { orgUnit: 'OU', period: '202401', dataSet: 'DS', attributes, dataValues: [{ dataElement, value: '1', categories }] },
    ];
    const err = fails(() => formatAdx(g({ 'FUND ER': 'X' })), 'VALIDATION_FAILED', /groups\[0\]\.attributes\.FUND ER: a category code must be an XML name/);
    expect(err.details).toEqual([expect.objectContaining({ field: 'groups[0].attributes.FUND ER', value: 'FUND ER' })]);
    fails(() => formatAdx(g({}, { '1SEX': 'F' })), 'VALIDATION_FAILED', /dataValues\[0\]\.categories\.1SEX/);
    fails(() => formatAdx(g({}, { 'a:b': 'F' })), 'VALIDATION_FAILED', /must be an XML name/);
    fails(() => formatAdx(g({}, { xmlns: 'F' })), 'VALIDATION_FAILED', /must not start with "xml"/);
    fails(() => formatAdx(g({}, { value: 'F' })), 'VALIDATION_FAILED', /must not be dataElement, value/);
    fails(() => formatAdx(g({ period: 'X' })), 'VALIDATION_FAILED', /must not be orgUnit, period, dataSet, completeDate/);
    fails(() => formatAdx(g({}, { SEX: '' })), 'VALIDATION_FAILED', /category SEX has no option code/);
    fails(() => formatAdx(g({}, {}, '')), 'VALIDATION_FAILED', /dataElement is empty/);
    fails(() => formatAdx([{ ...g({})[0]!, period: '2024W54' }]), 'INVALID_PERIOD', /2024W54/);
  });

  const ns = 'xmlns="urn:ihe:qrph:adx:2015"';
  it.each([
    [
      /^ADX line 5: <dataValue> for DE needs a value attribute/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n\n\n<dataValue dataElement="DE"/>\n</group></adx>`,
      5,
      'value',
    ],
    [/^ADX line 2: <group> needs an orgUnit attribute/, `<adx ${ns}>\n<group period="2015-06-01/P1M" dataSet="DS"/></adx>`, 2, 'orgUnit'],
    [/^ADX line 2: <group> needs a period attribute/, `<adx ${ns}>\n<group orgUnit="OU" dataSet="DS"/></adx>`, 2, 'period'],
    [/^ADX line 2: <group> needs a dataSet attribute/, `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet=""/></adx>`, 2, 'dataSet'],
    [
      /^ADX line 3: <dataValue> needs a dataElement attribute/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n<dataValue value="1"/></group></adx>`,
      3,
      'dataElement',
    ],
    [
      /^ADX line 2: bad period 2015-06-02\/P1M: no DHIS2 period of P1M starts on 2015-06-02/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-02/P1M" dataSet="DS"/></adx>`,
      2,
      'period',
    ],
    [
      /^ADX line 2: bad period "201506": an ADX period is a start date and a duration/,
      `<adx ${ns}>\n<group orgUnit="OU" period="201506" dataSet="DS"/></adx>`,
      2,
      'period',
    ],
    [/^ADX line 2: category SEX has no option code/, `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS" SEX=""/></adx>`, 2, 'SEX'],
    [/^ADX line 1: the root element must be <adx xmlns="urn:ihe:qrph:adx:2015">, not <dataValueSet>/, `<dataValueSet ${ns}/>`, 1, 'root'],
    [/^ADX line 1: .*not <adx> \(namespace urn:ihe:qrph:adx:2016\)/, '<adx xmlns="urn:ihe:qrph:adx:2016"/>', 1, 'xmlns'],
    [/^ADX line 1: .*not <adx> \(no namespace\)/, '<adx/>', 1, 'xmlns'],
    [/^ADX line 2: <adx> may hold only <group>, not <dataValue>/, `<adx ${ns}>\n<dataValue dataElement="DE" value="1"/></adx>`, 2, undefined],
    [
      /^ADX line 3: <group> may hold only <dataValue>, not <value>/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n<value/></group></adx>`,
      3,
      undefined,
    ],
    [
      /^ADX line 3: .*not <dataValue> \(namespace urn:other\)/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n<dataValue xmlns="urn:other" dataElement="DE" value="1"/></group></adx>`,
      3,
      undefined,
    ],
    [
      /^ADX line 4: <dataValue> may hold only <annotation>, not <note>/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n<dataValue dataElement="DE" value="1">\n<note/></dataValue></group></adx>`,
      4,
      undefined,
    ],
    [
      /^ADX line 4: <dataValue> holds more than one <annotation>/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n<dataValue dataElement="DE" value="1"><annotation>a</annotation>\n<annotation>b</annotation></dataValue></group></adx>`,
      4,
      undefined,
    ],
    [
      /^ADX line 4: text is not allowed in <dataValue>/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n<dataValue dataElement="DE" value="1">\n  a comment</dataValue></group></adx>`,
      4,
      undefined,
    ],
    [
      /^ADX line 4: text is not allowed in <group>/,
      `<adx ${ns}>\n<group orgUnit="OU" period="2015-06-01/P1M" dataSet="DS">\n\ntext</group></adx>`,
      4,
      undefined,
    ],
  ])('refuses with %s', (message, text, line, field) => {
    const err = fails(() => parseAdx(text), 'IMPORT_INVALID', message);
    expect((err.details as Array<{ line: number; field?: string }>)[0]).toMatchObject({ line, ...(field ? { field } : {}) });
  });

  it('reports malformed XML with its line', () => {
    fails(() => parseAdx(`<adx ${ns}>\n<group orgUnit="a & b"/></adx>`), 'IMPORT_INVALID', /^XML line 2: "&" must start an entity/);
    fails(
      () => parseAdx(`<adx ${ns}>\n<group>\n<dataValue><annotation><![CDATA[x]]></annotation></dataValue></group></adx>`),
      'IMPORT_INVALID',
      /^XML line 3: only elements/,
    );
    fails(
      () => parseAdx(`<adx ${ns}>\n<group>\n<dataValue><annotation>a &nbsp; b</annotation></dataValue></group></adx>`),
      'IMPORT_INVALID',
      /^XML line 3: unknown entity &nbsp;/,
    );
    fails(() => parseAdx(`text <adx ${ns}/>`), 'IMPORT_INVALID', /^XML line 1: text outside the root element/);
  });
});
