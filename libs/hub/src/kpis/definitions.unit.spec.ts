import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketOf, KPI_DEFINITIONS, README_KPI_TABLE_END, README_KPI_TABLE_START, renderKpiTable } from './definitions';

/** Cell padding and separator length are presentation (prettier aligns tables); the cells must match exactly. */
const normalised = (table: string) =>
  table
    .trim()
    .split('\n')
    .map((line) => line.trim().replace(/\s*\|\s*/g, '|'))
    .map((line) => (/^(\|:?-+:?)+\|$/.test(line) ? 'separator' : line));

describe('KPI definitions', () => {
  it('state a numerator, denominator, date basis and snapshot for every KPI, in Europe/London', () => {
    for (const kpi of KPI_DEFINITIONS) {
      expect(kpi).toMatchObject({ timeZone: 'Europe/London' });
      for (const field of ['title', 'numerator', 'denominator', 'dateBasis', 'snapshot', 'source'] as const) {
        expect(kpi[field].length).toBeGreaterThan(0);
      }
    }
    expect(new Set(KPI_DEFINITIONS.map((k) => k.id)).size).toBe(KPI_DEFINITIONS.length);
  });

  it("README.md's KPI table is the one generated from the definitions (regenerate with renderKpiTable)", () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const start = readme.indexOf(README_KPI_TABLE_START);
    const end = readme.indexOf(README_KPI_TABLE_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(normalised(readme.slice(start + README_KPI_TABLE_START.length, end))).toEqual(normalised(renderKpiTable()));
  });
});

describe('days-waiting buckets', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [3, '2-3'],
    [21, '21+'],
    [400, '21+'],
  ])('%p days fall in %p', (days, label) => expect(bucketOf(days)).toBe(label));

  it('given a wait that bad data makes negative, then it counts as 0 rather than failing the whole answer', () =>
    expect(bucketOf(-2)).toBe('0'));
});
