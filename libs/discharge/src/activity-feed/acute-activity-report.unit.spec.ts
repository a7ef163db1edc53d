import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertValidAppend, DomainRefusal, type CommandMetadata, type Role } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { loadReferenceData } from '@app/reference-data';
import type { DischargeCountRow, NctrCountRow } from './activity-feed';
import {
  acuteActivityReport,
  acuteActivityStreamOf,
  normaliseDischargeRows,
  planImport,
  type AcuteActivityEvent,
  type ReportAcuteDischarges,
  type ReportNctrList,
} from './acute-activity-report';
import { parseDischargesCsv, parseNctrCsv } from './csv-import';

const given = specFor(acuteActivityReport);
const reference = loadReferenceData();

const as = (role: Role, now = '2026-11-25T09:00:00.000Z'): CommandMetadata => ({
  commandId: 'import-1',
  correlationId: 'import-1',
  actor: { userId: `${role}.user`, role, organisation: 'TOCH' },
  now,
});
const hub = as('hub');

const row = (overrides: Partial<DischargeCountRow> = {}): DischargeCountRow => ({
  site: 'RH5A8',
  pathway: 0,
  destination: '19',
  ageBand: '75-84',
  area: 'SEDGEMOOR',
  count: 10,
  ...overrides,
});
const day = [
  row(),
  row({ pathway: 1, ageBand: '85+', count: 3 }),
  row({ pathway: 3, destination: '55', originalDestination: '54', count: 1 }),
];

const reportDischarges = (rows: DischargeCountRow[] = day, metadata = hub, date = '2026-11-23'): ReportAcuteDischarges => ({
  type: 'ReportAcuteDischarges',
  data: { trust: 'RH5', date, rows, source: 'csv' },
  metadata,
});

/** What the decider writes for `rows`, found by running it on an empty stream. */
type DischargesReported = Extract<AcuteActivityEvent, { type: 'AcuteDischargesReported' }>;
const reported = (rows: DischargeCountRow[] = day, supersedes?: string): DischargesReported => {
  const [event] = acuteActivityReport.decide(reportDischarges(rows), acuteActivityReport.initialState()) as DischargesReported[];
  return supersedes ? { ...event, data: { ...event.data, supersedes } } : event;
};
const hashOf = (event: AcuteActivityEvent) => event.data.contentHash;

describe('AcuteActivityReport', () => {
  it('records a first report with normalised rows, total, content hash and who imported it', () =>
    given()
      .when(reportDischarges())
      .then({
        type: 'AcuteDischargesReported',
        data: {
          trust: 'RH5',
          date: '2026-11-23',
          rows: [
            row(),
            row({ pathway: 1, ageBand: '85+', count: 3 }),
            row({ pathway: 3, destination: '55', originalDestination: '54', count: 1 }),
          ],
          total: 14,
          contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
          source: 'csv',
          importedBy: 'hub.user',
        },
      }));

  it('decides nothing when the same content is imported again', () =>
    given(reported()).when(reportDischarges()).thenNothingHappens());

  it('decides nothing for the same facts reordered, split over rows or padded with zero rows', () =>
    given(reported())
      .when(reportDischarges([day[2], row({ count: 4 }), day[1], row({ count: 6 }), row({ area: 'MENDIP', count: 0 })]))
      .thenNothingHappens());

  it('decides nothing for the same facts arriving by FHIR after CSV', () =>
    given(reported())
      .when({ ...reportDischarges(), data: { ...reportDischarges().data, source: 'fhir' } })
      .thenNothingHappens());

  it('supersedes the earlier report when the counts change', () => {
    const first = reported();
    const changed = [row({ count: 11 }), day[1], day[2]];
    given(first)
      .when(reportDischarges(changed))
      .then(reported(changed, hashOf(first)));
  });

  it('supersedes the latest report, not the first', () => {
    const first = reported();
    const second = reported([row({ count: 11 })], hashOf(first));
    given(first, second)
      .when(reportDischarges(day))
      .then(reported(day, hashOf(second)));
  });

  it('treats a retired code and its current code as different facts (the original is kept)', () => {
    const withCurrent = [day[0], day[1], row({ pathway: 3, destination: '55', count: 1 })];
    expect(hashOf(reported(withCurrent))).not.toBe(hashOf(reported()));
  });

  it('records an empty day when every count is zero', () =>
    given()
      .when(reportDischarges([row({ count: 0 })]))
      .then({
        type: 'AcuteDischargesReported',
        data: expect.objectContaining({ rows: [], total: 0 }) as never,
      }));

  it.each<Role>(['ward', 'provider', 'leader', 'system'])('refuses an import by the %s role', (role) =>
    given()
      .when(reportDischarges(day, as(role)))
      .thenThrows(DomainRefusal, (e) => {
        expect(e.kind).toBe('forbidden');
        expect(e.code).toBe('ACTIVITY_FEED_IMPORT_FORBIDDEN');
      }),
  );

  it('lets an administrator import', () =>
    given()
      .when(reportDischarges(day, as('admin')))
      .then({ ...reported(), data: { ...reported().data, importedBy: 'admin.user' } }));

  it('refuses a report for a London date that has not started yet', () =>
    given()
      // 23:30 UTC on 22 November is still the 22nd in London (GMT).
      .when(reportDischarges(day, as('hub', '2026-11-22T23:30:00.000Z')))
      .thenThrows(DomainRefusal, (e) => expect(e.code).toBe('ACTIVITY_REPORT_IN_FUTURE')));

  it('accepts a report for today in London even when UTC is still on the day before', () => {
    const command: ReportAcuteDischarges = { ...reportDischarges(), data: { ...reportDischarges().data, date: '2026-07-01' } };
    const decided = acuteActivityReport.decide(
      { ...command, metadata: as('hub', '2026-06-30T23:30:00.000Z') },
      { contentHash: null },
    );
    expect(decided).toEqual([expect.objectContaining({ type: 'AcuteDischargesReported' })]);
  });

  it('refuses a negative or fractional count from a caller that skipped the parser', () =>
    given()
      .when(reportDischarges([row({ count: -1 })]))
      .thenThrows(DomainRefusal, (e) => expect(e.code).toBe('ACTIVITY_REPORT_BAD_COUNT')));

  describe('NCTR list', () => {
    const nctrRow = (overrides: Partial<NctrCountRow> = {}): NctrCountRow => ({
      site: 'RH5A8',
      pathway: 1,
      drd: '2026-11-20',
      primaryDelayCode: 'CAP-P1',
      delayListVersion: '2024-25',
      ageBand: '85+',
      area: 'MENDIP',
      count: 3,
      ...overrides,
    });
    const reportNctr = (rows: NctrCountRow[], metadata = hub): ReportNctrList => ({
      type: 'ReportNctrList',
      data: { trust: 'RH5', snapshotDate: '2026-11-24', rows, source: 'csv' },
      metadata,
    });
    const list = [nctrRow(), nctrRow({ pathway: 2, primaryDelayCode: 'CAP-P2', count: 1 })];
    const first = (acuteActivityReport.decide(reportNctr(list), { contentHash: null }) as AcuteActivityEvent[])[0];

    it('records the list', () =>
      given()
        .when(reportNctr(list))
        .then({
          type: 'NctrListReported',
          data: {
            trust: 'RH5',
            snapshotDate: '2026-11-24',
            rows: list,
            total: 4,
            contentHash: expect.stringMatching(/^sha256:/),
            source: 'csv',
            importedBy: 'hub.user',
          },
        }));

    it('decides nothing for the same list reordered', () =>
      given(first)
        .when(reportNctr([...list].reverse()))
        .thenNothingHappens());

    it('supersedes a changed list', () =>
      given(first)
        .when(reportNctr([nctrRow()]))
        .then({
          type: 'NctrListReported',
          data: expect.objectContaining({ supersedes: first.data.contentHash, total: 3 }) as never,
        }));

    it('refuses a ward user', () =>
      given()
        .when(reportNctr(list, as('ward')))
        .thenThrows(DomainRefusal, (e) => expect(e.kind).toBe('forbidden')));
  });
});

describe('normaliseDischargeRows', () => {
  it('sorts, merges equal keys and drops zeros, with a fixed key order', () => {
    expect(
      normaliseDischargeRows([
        { count: 2, area: 'MENDIP', ageBand: '85+', destination: '19', pathway: 1, site: 'RH5A8' },
        row({ count: 0 }),
        row({ pathway: 1, area: 'MENDIP', ageBand: '85+', count: 1 }),
      ]).map((r) => JSON.stringify(r)),
    ).toEqual([JSON.stringify(row({ pathway: 1, area: 'MENDIP', ageBand: '85+', count: 3 }))]);
  });
});

describe('planImport', () => {
  const sample = (name: string) => readFileSync(join(__dirname, 'samples', name), 'utf8');

  it('makes one command per trust and date, each on its own stream', () => {
    const commands = planImport(parseDischargesCsv(sample('discharges.csv'), reference), hub);
    expect(commands.map((c) => [c.type, acuteActivityStreamOf(c), c.data.rows.length])).toEqual([
      ['ReportAcuteDischarges', 'acuteActivity-RH5.discharges.2026-11-23', 5],
      ['ReportAcuteDischarges', 'acuteActivity-RH5.discharges.2026-11-24', 4],
    ]);
    expect(commands[0].data.rows[0]).toEqual({
      site: 'RH5A8',
      pathway: 0,
      destination: '19',
      ageBand: '18-64',
      area: 'SOMERSET_WEST_AND_TAUNTON',
      count: 41,
    });
  });

  it('splits one file by trust as well as by date', () => {
    const text =
      'period_date,trust_ods,site_ods,pathway,destination_code,age_band,area,discharges\n' +
      '2026-11-24,RA4,RA430,0,19,85+,SOUTH_SOMERSET,2\n' +
      '2026-11-23,RH5,RH5A8,0,19,85+,MENDIP,1\n' +
      '2026-11-24,RH5,RH5A8,0,19,85+,MENDIP,1\n';
    expect(planImport(parseDischargesCsv(text, reference), hub).map(acuteActivityStreamOf)).toEqual([
      'acuteActivity-RA4.discharges.2026-11-24',
      'acuteActivity-RH5.discharges.2026-11-23',
      'acuteActivity-RH5.discharges.2026-11-24',
    ]);
  });

  it('plans NCTR lists on their own streams', () => {
    const commands = planImport(parseNctrCsv(sample('nctr.csv'), reference), hub);
    expect(commands.map(acuteActivityStreamOf)).toEqual(['acuteActivity-RH5.nctr.2026-11-24']);
    expect(commands[0].data.rows[0]).not.toHaveProperty('trust');
    expect(commands[0].data.rows[0]).not.toHaveProperty('snapshotDate');
  });

  it('names streams the event store accepts', () => {
    const commands = planImport(parseDischargesCsv(sample('discharges.csv'), reference), hub);
    for (const command of commands) {
      expect(() =>
        assertValidAppend(
          acuteActivityStreamOf(command),
          [
            {
              id: command.metadata.commandId,
              type: 'AcuteDischargesReported',
              data: {},
              metadata: {} as never,
              occurredAt: hub.now,
            },
          ],
          'no_stream',
        ),
      ).not.toThrow();
    }
  });

  it('derives distinct, repeatable command ids from the request, each caused by it', () => {
    const feed = parseDischargesCsv(sample('discharges.csv'), reference);
    const first = planImport(feed, hub).map((c) => c.metadata);
    const again = planImport(feed, hub).map((c) => c.metadata);
    expect(first.map((m) => m.commandId)).toEqual(again.map((m) => m.commandId));
    expect(new Set(first.map((m) => m.commandId)).size).toBe(first.length);
    expect(first.every((m) => m.causationId === 'import-1' && m.correlationId === 'import-1' && m.actor === hub.actor)).toBe(
      true,
    );
  });

  it('makes re-importing the same file decide nothing on every stream', () => {
    const commands = planImport(parseDischargesCsv(sample('discharges.csv'), reference), hub);
    for (const command of commands) {
      const events = acuteActivityReport.decide(command, acuteActivityReport.initialState()) as AcuteActivityEvent[];
      const state = events.reduce(acuteActivityReport.evolve, acuteActivityReport.initialState());
      expect(acuteActivityReport.decide(command, state)).toEqual([]);
    }
  });
});
