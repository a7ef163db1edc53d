import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadReferenceData } from '@app/reference-data';
import { InvalidActivityFeed, MAX_PROBLEMS, type FeedProblem } from './activity-feed';
import { parseActivityFeedCsv, parseDischargesCsv, parseNctrCsv } from './csv-import';

const reference = loadReferenceData();
const sample = (name: string) => readFileSync(join(__dirname, 'samples', name), 'utf8');

const DISCHARGES_HEADER = 'period_date,trust_ods,site_ods,pathway,destination_code,age_band,area,discharges';
const NCTR_HEADER = 'snapshot_date,trust_ods,site_ods,pathway,drd,primary_delay_code,delay_list_version,age_band,area,count';
const dischargesCsv = (...rows: string[]) => [DISCHARGES_HEADER, ...rows].join('\n') + '\n';
const nctrCsv = (...rows: string[]) => [NCTR_HEADER, ...rows].join('\n') + '\n';
const GOOD = '2026-11-23,RH5,RH5A8,1,19,85+,SEDGEMOOR,4';
const GOOD_NCTR = '2026-11-24,RH5,RH5A8,1,2026-11-20,CAP-P1,2024-25,85+,MENDIP,3';

const problemsOf = (read: () => unknown): FeedProblem[] => {
  try {
    read();
  } catch (error) {
    if (error instanceof InvalidActivityFeed) return [...error.problems];
    throw error;
  }
  throw new Error('expected the feed to be refused');
};
const dischargeProblems = (text: string) => problemsOf(() => parseDischargesCsv(text, reference));
const nctrProblems = (text: string) => problemsOf(() => parseNctrCsv(text, reference));

describe('daily discharges CSV', () => {
  it('reads the sample file into dated rows', () => {
    const feed = parseDischargesCsv(sample('discharges.csv'), reference);
    expect(feed.kind).toBe('discharges');
    expect(feed.source).toBe('csv');
    expect(feed.rows).toHaveLength(9);
    expect(feed.rows[0]).toEqual({
      date: '2026-11-23',
      trust: 'RH5',
      site: 'RH5A8',
      pathway: 0,
      destination: '19',
      ageBand: '18-64',
      area: 'SOMERSET_WEST_AND_TAUNTON',
      count: 41,
    });
  });

  it.each([
    ['54', '55'],
    ['65', '56'],
    ['85', '56'],
  ])('maps the retired destination %s to %s and keeps the original', (retired, current) => {
    const feed = parseDischargesCsv(dischargesCsv(`2026-11-23,RH5,RH5A8,3,${retired},85+,MENDIP,1`), reference);
    expect(feed.rows[0]).toMatchObject({ destination: current, originalDestination: retired });
  });

  it('records a current destination without an original', () => {
    const feed = parseDischargesCsv(dischargesCsv(GOOD), reference);
    expect(feed.rows[0]).not.toHaveProperty('originalDestination');
  });

  it('tolerates a BOM, CRLF line ends, quoted cells and columns in another order', () => {
    const text =
      '\uFEFF"area",discharges,period_date,trust_ods,site_ods,pathway,destination_code,age_band\r\n' +
      '"SOMERSET_WEST_AND_TAUNTON","7",2026-11-23,RH5,"RH5A8",0,19,"18-64"\r\n';
    expect(parseDischargesCsv(text, reference).rows).toEqual([
      {
        date: '2026-11-23',
        trust: 'RH5',
        site: 'RH5A8',
        pathway: 0,
        destination: '19',
        ageBand: '18-64',
        area: 'SOMERSET_WEST_AND_TAUNTON',
        count: 7,
      },
    ]);
  });

  it('accepts a zero count (a day, site or group with no discharges)', () => {
    expect(parseDischargesCsv(dischargesCsv('2026-11-23,RH5,RH5A8,2,51,85+,MENDIP,0'), reference).rows[0].count).toBe(0);
  });

  it('reports a quoted comma in a cell as that cell being wrong, not as a shifted row', () => {
    expect(dischargeProblems(dischargesCsv('2026-11-23,RH5,RH5A8,1,19,85+,"SEDGEMOOR, NORTH",4'))).toEqual([
      expect.objectContaining({ row: 2, column: 'area', rule: 'area' }),
    ]);
  });

  describe('refuses every bad cell, naming the row, the column and the rule', () => {
    it.each([
      ['period_date', '23/11/2026,RH5,RH5A8,1,19,85+,SEDGEMOOR,4', 'date'],
      ['period_date', '2026-02-30,RH5,RH5A8,1,19,85+,SEDGEMOOR,4', 'date'],
      ['period_date', ',RH5,RH5A8,1,19,85+,SEDGEMOOR,4', 'required'],
      ['trust_ods', '2026-11-23,XYZ,RH5A8,1,19,85+,SEDGEMOOR,4', 'trust'],
      ['site_ods', '2026-11-23,RH5,RXX01,1,19,85+,SEDGEMOOR,4', 'site'],
      ['site_ods', '2026-11-23,RH5,RA430,1,19,85+,SEDGEMOOR,4', 'site-trust'],
      ['pathway', '2026-11-23,RH5,RH5A8,4,19,85+,SEDGEMOOR,4', 'pathway'],
      ['pathway', '2026-11-23,RH5,RH5A8,P1,19,85+,SEDGEMOOR,4', 'pathway'],
      ['destination_code', '2026-11-23,RH5,RH5A8,1,57,85+,SEDGEMOOR,4', 'destination'],
      ['destination_code', '2026-11-23,RH5,RH5A8,1,019,85+,SEDGEMOOR,4', 'destination'],
      ['age_band', '2026-11-23,RH5,RH5A8,1,19,90+,SEDGEMOOR,4', 'age-band'],
      ['area', '2026-11-23,RH5,RH5A8,1,19,85+,TAUNTON,4', 'area'],
      ['area', '2026-11-23,RH5,RH5A8,1,19,85+,sedgemoor,4', 'area'],
      ['discharges', '2026-11-23,RH5,RH5A8,1,19,85+,SEDGEMOOR,-1', 'count'],
      ['discharges', '2026-11-23,RH5,RH5A8,1,19,85+,SEDGEMOOR,2.5', 'count'],
      ['discharges', '2026-11-23,RH5,RH5A8,1,19,85+,SEDGEMOOR, 4', 'count'],
      ['discharges', '2026-11-23,RH5,RH5A8,1,19,85+,SEDGEMOOR,9434765919', 'count'],
    ])('%s: %s → %s', (column, row, rule) => {
      expect(dischargeProblems(dischargesCsv(GOOD, row))).toEqual([
        expect.objectContaining({ row: 3, line: 3, column, rule, message: expect.stringContaining(`Row 3, column ${column}`) }),
      ]);
    });
  });

  it('collects every problem in the file, not just the first', () => {
    const problems = dischargeProblems(
      dischargesCsv('2026-13-01,RH5,RH5A8,9,19,85+,SEDGEMOOR,4', GOOD, '2026-11-23,RH5,RH5A8,1,19,85+,NOWHERE,x'),
    );
    expect(problems.map(({ row, column, rule }) => ({ row, column, rule }))).toEqual([
      { row: 2, column: 'period_date', rule: 'date' },
      { row: 2, column: 'pathway', rule: 'pathway' },
      { row: 4, column: 'area', rule: 'area' },
      { row: 4, column: 'discharges', rule: 'count' },
    ]);
  });

  it(`stops at ${MAX_PROBLEMS} problems and says there were more`, () => {
    const rows = Array.from({ length: 150 }, () => '2026-11-23,RH5,RH5A8,9,19,85+,SEDGEMOOR,4');
    try {
      parseDischargesCsv(dischargesCsv(...rows), reference);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidActivityFeed);
      expect((error as InvalidActivityFeed).problems).toHaveLength(MAX_PROBLEMS);
      expect((error as InvalidActivityFeed).truncated).toBe(true);
    }
  });

  it('never repeats a cell value in a message', () => {
    const problems = dischargeProblems(dischargesCsv('2026-11-23,RH5,RH5A8,1,19,85+,SEDGEMOOR,9434765919'));
    expect(JSON.stringify(problems)).not.toContain('9434765919');
  });

  it('refuses a row with the wrong number of fields', () => {
    expect(dischargeProblems(dischargesCsv(GOOD, '2026-11-23,RH5,RH5A8,1,19,85+,SEDGEMOOR'))).toEqual([
      expect.objectContaining({ row: 3, rule: 'field-count', message: 'Row 3: expected 8 fields, found 7' }),
    ]);
  });

  it('refuses two rows counting the same group, naming both', () => {
    expect(dischargeProblems(dischargesCsv(GOOD, '2026-11-24,RH5,RH5A8,1,19,85+,SEDGEMOOR,1', GOOD))).toEqual([
      expect.objectContaining({ row: 4, rule: 'duplicate', message: expect.stringContaining('as row 2') }),
    ]);
  });

  it('refuses a CSV syntax error with its line', () => {
    expect(dischargeProblems(dischargesCsv(GOOD, '2026-11-23,RH5,"RH5A8"x,1,19,85+,SEDGEMOOR,4'))).toEqual([
      expect.objectContaining({ line: 3, rule: 'csv-syntax' }),
    ]);
  });

  it.each([
    ['an empty file', ''],
    ['a header with no rows', DISCHARGES_HEADER + '\r\n'],
  ])('refuses %s', (_, text) => {
    expect(dischargeProblems(text)).toEqual([expect.objectContaining({ rule: 'empty' })]);
  });

  describe('header', () => {
    it('refuses missing, unexpected and repeated columns, listing each', () => {
      const problems = dischargeProblems(
        'period_date,trust_ods,site_ods,pathway,pathway,destination,age_band,area,discharges\n' + GOOD + '\n',
      );
      expect(problems.map(({ column, rule }) => ({ column, rule }))).toEqual([
        { column: 'pathway', rule: 'header' },
        { column: 'destination', rule: 'header' },
        { column: 'destination_code', rule: 'header' },
        { column: undefined, rule: 'header' },
      ]);
    });

    it('refuses the NCTR header when discharges are expected', () => {
      expect(dischargeProblems(nctrCsv(GOOD_NCTR)).every((p) => p.rule === 'header' && p.row === 1)).toBe(true);
    });

    it.each([
      'nhs_number',
      'NHS Number',
      'nhsno',
      'patient_name',
      'surname',
      'DOB',
      'date_of_birth',
      'postcode',
      'Post Code',
      'mrn',
    ])('refuses a file with a %s column outright, as patient-identifiable', (column) => {
      const problems = dischargeProblems(`${DISCHARGES_HEADER},${column}\n${GOOD},x\n`);
      expect(problems).toEqual([
        expect.objectContaining({ row: 1, rule: 'personal-data', message: expect.stringContaining('aggregate counts only') }),
      ]);
    });
  });
});

describe('NCTR list CSV', () => {
  it('reads the sample file', () => {
    const feed = parseNctrCsv(sample('nctr.csv'), reference);
    expect(feed.kind).toBe('nctr');
    expect(feed.rows).toHaveLength(5);
    expect(feed.rows[0]).toEqual({
      snapshotDate: '2026-11-24',
      trust: 'RH5',
      site: 'RH5A8',
      pathway: 1,
      drd: '2026-11-24',
      primaryDelayCode: 'CAP-P1',
      delayListVersion: '2024-25',
      ageBand: '85+',
      area: 'SOMERSET_WEST_AND_TAUNTON',
      count: 3,
    });
  });

  it('reads a reason that left the list in the version the row names', () => {
    const feed = parseNctrCsv(nctrCsv('2026-11-24,RH5,RH5A8,2,2026-11-20,COVID-BED,2022-23,85+,MENDIP,1'), reference);
    expect(feed.rows[0]).toMatchObject({ primaryDelayCode: 'COVID-BED', delayListVersion: '2022-23' });
  });

  it.each([
    ['snapshot_date', '2026-11-31,RH5,RH5A8,1,2026-11-20,CAP-P1,2024-25,85+,MENDIP,3', 'date'],
    ['drd', '2026-11-24,RH5,RH5A8,1,20/11/2026,CAP-P1,2024-25,85+,MENDIP,3', 'date'],
    ['drd', '2026-11-24,RH5,RH5A8,1,2026-11-25,CAP-P1,2024-25,85+,MENDIP,3', 'drd-after-snapshot'],
    ['primary_delay_code', '2026-11-24,RH5,RH5A8,1,2026-11-20,COVID-BED,2024-25,85+,MENDIP,3', 'delay-reason'],
    ['primary_delay_code', '2026-11-24,RH5,RH5A8,1,2026-11-20,,2024-25,85+,MENDIP,3', 'required'],
    ['delay_list_version', '2026-11-24,RH5,RH5A8,1,2026-11-20,CAP-P1,2019-20,85+,MENDIP,3', 'delay-list-version'],
    ['site_ods', '2026-11-24,RA4,RH5A8,1,2026-11-20,CAP-P1,2024-25,85+,MENDIP,3', 'site-trust'],
    ['count', '2026-11-24,RH5,RH5A8,1,2026-11-20,CAP-P1,2024-25,85+,MENDIP,three', 'count'],
  ])('refuses a bad %s (%s) with rule %s', (column, row, rule) => {
    expect(nctrProblems(nctrCsv(GOOD_NCTR, row))).toEqual([expect.objectContaining({ row: 3, column, rule })]);
  });

  it('refuses two rows for the same group', () => {
    expect(nctrProblems(nctrCsv(GOOD_NCTR, GOOD_NCTR))).toEqual([expect.objectContaining({ row: 3, rule: 'duplicate' })]);
  });

  it('refuses patient-level columns', () => {
    expect(nctrProblems(`nhs_number,${NCTR_HEADER}\n9434765919,${GOOD_NCTR}\n`)).toEqual([
      expect.objectContaining({ rule: 'personal-data', column: 'nhs_number' }),
    ]);
  });
});

describe('parseActivityFeedCsv', () => {
  it('tells the two kinds apart by their header', () => {
    expect(parseActivityFeedCsv(sample('discharges.csv'), reference).kind).toBe('discharges');
    expect(parseActivityFeedCsv(sample('nctr.csv'), reference).kind).toBe('nctr');
  });
});
