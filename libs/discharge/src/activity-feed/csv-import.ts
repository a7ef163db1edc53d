import type { ReferenceData } from '@app/reference-data';
import {
  ProblemList,
  type DatedDischargeRow,
  type DatedNctrRow,
  type FeedProblem,
  type ParsedActivityFeed,
} from './activity-feed';
import { parseCsv, type CsvRecord } from './csv';
import { feedChecks, type Checked } from './feed-checks';

export const DISCHARGES_COLUMNS = [
  'period_date',
  'trust_ods',
  'site_ods',
  'pathway',
  'destination_code',
  'age_band',
  'area',
  'discharges',
] as const;

export const NCTR_COLUMNS = [
  'snapshot_date',
  'trust_ods',
  'site_ods',
  'pathway',
  'drd',
  'primary_delay_code',
  'delay_list_version',
  'age_band',
  'area',
  'count',
] as const;

type Column = (typeof DISCHARGES_COLUMNS)[number] | (typeof NCTR_COLUMNS)[number];

/**
 * Header names that suggest a person rather than a count. The feed is aggregate only; a file that carries any
 * of these is refused whole, before a single cell is read.
 */
const PERSONAL_DATA_HEADER =
  /^(nhs_?(no|num|number)?|nhsnumber|(patient_?)?(name|forename|surname|given_?names?|family_?name|first_?name|last_?name|full_?name)|patient(_?id)?|dob|date_?of_?birth|birth_?date|post_?code|address(_?line_?\d*)?|mrn|hospital_?(no|number)|local_?patient_?id|pas_?(no|number|id)|email|phone|telephone|mobile)$/;

const normaliseHeader = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Reads a daily-discharges CSV (see README). Throws InvalidActivityFeed listing every problem found, up to 100. */
export function parseDischargesCsv(text: string, reference: ReferenceData): ParsedActivityFeed & { kind: 'discharges' } {
  const checks = feedChecks(reference);
  const rows = readTable(text, DISCHARGES_COLUMNS, (cell) => {
    const trust = cell('trust_ods', checks.trust);
    const row = {
      date: cell('period_date', (v) => checks.date(v, 'period_date')),
      trust,
      site: cell('site_ods', (v) => checks.site(v, trust)),
      pathway: cell('pathway', checks.pathway),
      destination: cell('destination_code', checks.destination),
      ageBand: cell('age_band', checks.ageBand),
      area: cell('area', checks.area),
      count: cell('discharges', checks.count),
    };
    if (!isComplete(row)) return undefined;
    const { destination, ...rest } = row;
    return { ...rest, ...destination } satisfies DatedDischargeRow;
  });
  refuseDuplicates(rows, 'date, site, pathway, destination, age band and area', (r) => [
    r.trust,
    r.date,
    r.site,
    r.pathway,
    r.destination,
    r.originalDestination ?? '',
    r.ageBand,
    r.area,
  ]);
  return { kind: 'discharges', source: 'csv', rows: rows.map((r) => r.value) };
}

/** Reads an NCTR-list CSV (see README). Throws InvalidActivityFeed listing every problem found, up to 100. */
export function parseNctrCsv(text: string, reference: ReferenceData): ParsedActivityFeed & { kind: 'nctr' } {
  const checks = feedChecks(reference);
  const rows = readTable(text, NCTR_COLUMNS, (cell) => {
    const trust = cell('trust_ods', checks.trust);
    const snapshotDate = cell('snapshot_date', (v) => checks.date(v, 'snapshot_date'));
    const drd = cell('drd', (v): Checked<string> => {
      const date = checks.date(v, 'drd');
      if (date.ok && snapshotDate !== undefined && date.value > snapshotDate) {
        return { ok: false, rule: 'drd-after-snapshot', message: 'the discharge ready date must not be after the snapshot date' };
      }
      return date;
    });
    const delayListVersion = cell('delay_list_version', checks.delayListVersion);
    const primaryDelayCode = cell('primary_delay_code', (v) =>
      delayListVersion === undefined ? { ok: true, value: v } : checks.delayReason(v, delayListVersion),
    );
    const row = {
      snapshotDate,
      trust,
      site: cell('site_ods', (v) => checks.site(v, trust)),
      pathway: cell('pathway', checks.pathway),
      drd,
      primaryDelayCode,
      delayListVersion,
      ageBand: cell('age_band', checks.ageBand),
      area: cell('area', checks.area),
      count: cell('count', checks.count),
    };
    if (!isComplete(row)) return undefined;
    return row satisfies DatedNctrRow;
  });
  refuseDuplicates(rows, 'snapshot date, site, pathway, DRD, delay reason, age band and area', (r) => [
    r.trust,
    r.snapshotDate,
    r.site,
    r.pathway,
    r.drd,
    r.primaryDelayCode,
    r.delayListVersion,
    r.ageBand,
    r.area,
  ]);
  return { kind: 'nctr', source: 'csv', rows: rows.map((r) => r.value) };
}

/** Either kind, told apart by the header (`period_date` or `snapshot_date` among the columns). */
export function parseActivityFeedCsv(text: string, reference: ReferenceData): ParsedActivityFeed {
  const csv = parseCsv(text);
  const header = csv.ok && csv.records[0] ? csv.records[0].cells.map(normaliseHeader) : [];
  return header.includes('snapshot_date') ? parseNctrCsv(text, reference) : parseDischargesCsv(text, reference);
}

type Complete<T> = { [K in keyof T]: Exclude<T[K], undefined> };
const isComplete = <T extends object>(row: T): row is Complete<T> => Object.values(row).every((value) => value !== undefined);

type CellReader = <T>(column: Column, check: (value: string) => Checked<T>) => T | undefined;
type Located<T> = { row: number; line: number; value: T };

function readTable<T>(text: string, columns: readonly Column[], readRow: (cell: CellReader) => T | undefined): Located<T>[] {
  const problems = new ProblemList();
  const csv = parseCsv(text);
  if (!csv.ok) {
    problems.add({ line: csv.line, rule: 'csv-syntax', message: `Line ${csv.line}: ${csv.message}` });
    return problems.throwIfAny() as never;
  }
  const [headerRecord, ...records] = csv.records;
  if (!headerRecord) {
    problems.add({ row: 1, rule: 'empty', message: 'The file is empty: expected a header row and at least one data row' });
    return problems.throwIfAny() as never;
  }
  const index = checkHeader(headerRecord, columns, problems);
  problems.throwIfAny();
  if (records.length === 0) {
    problems.add({ row: 2, rule: 'empty', message: 'The file has a header but no data rows' });
    problems.throwIfAny();
  }

  const rows: Located<T>[] = [];
  for (const record of records) {
    if (problems.full) break;
    if (record.cells.length !== columns.length) {
      problems.add({
        row: record.row,
        line: record.line,
        rule: 'field-count',
        message: `Row ${record.row}: expected ${columns.length} fields, found ${record.cells.length}`,
      });
      continue;
    }
    const cell: CellReader = (column, check) => {
      const value = record.cells[index.get(column)!];
      const result: Checked<unknown> =
        value === '' ? { ok: false, rule: 'required', message: `${column} is required` } : check(value);
      if (result.ok) return result.value as never;
      problems.add(located(record, column, result.rule, result.message));
      return undefined;
    };
    const value = readRow(cell);
    if (value !== undefined) rows.push({ row: record.row, line: record.line, value });
  }
  problems.throwIfAny();
  return rows;
}

function checkHeader(header: CsvRecord, columns: readonly Column[], problems: ProblemList): Map<Column, number> {
  const names = header.cells.map(normaliseHeader);
  const personal = names.filter((name) => PERSONAL_DATA_HEADER.test(name));
  if (personal.length > 0) {
    problems.add({
      row: 1,
      column: personal.join(', '),
      rule: 'personal-data',
      message: `The header has column(s) that look like patient identifiers (${personal.join(', ')}). The activity feed takes aggregate counts only: remove those columns, and never send patient-level data`,
    });
    return new Map();
  }
  const index = new Map<Column, number>();
  names.forEach((name, i) => {
    if (!(columns as readonly string[]).includes(name)) {
      problems.add({ row: 1, column: name || `(column ${i + 1})`, rule: 'header', message: `Unexpected column '${name}'` });
    } else if (index.has(name as Column)) {
      problems.add({ row: 1, column: name, rule: 'header', message: `Column '${name}' appears twice` });
    } else {
      index.set(name as Column, i);
    }
  });
  for (const column of columns) {
    if (!index.has(column)) problems.add({ row: 1, column, rule: 'header', message: `Missing column '${column}'` });
  }
  if (problems.problems.length > 0) {
    problems.add({
      row: 1,
      rule: 'header',
      message: `The header must name exactly these columns, in any order: ${columns.join(',')}`,
    });
  }
  return index;
}

function refuseDuplicates<T>(rows: Located<T>[], what: string, key: (row: T) => unknown[]): void {
  const problems = new ProblemList();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const k = JSON.stringify(key(row.value));
    const first = seen.get(k);
    if (first === undefined) seen.set(k, row.row);
    else
      problems.add({
        row: row.row,
        line: row.line,
        rule: 'duplicate',
        message: `Row ${row.row} counts the same ${what} (and trust) as row ${first}: send one row with the total`,
      });
  }
  problems.throwIfAny();
}

const located = (record: CsvRecord, column: string, rule: string, message: string): FeedProblem => ({
  row: record.row,
  line: record.line,
  column,
  rule,
  message: `Row ${record.row}, column ${column}: ${message}`,
});
