import { createHash } from 'node:crypto';
import {
  assertNever,
  deterministicUuid,
  DomainRefusal,
  type Command,
  type CommandMetadata,
  type CommandRoute,
  type Decider,
  type DomainEvent,
} from '@app/event-sourcing';
import { londonDate, type LondonDate } from '@app/time';
import type { ActivityKind, DischargeCountRow, FeedSource, NctrCountRow, ParsedActivityFeed } from './activity-feed';

export interface AcuteDischargesReportedData {
  trust: string;
  date: LondonDate;
  /** Normalised: zero counts dropped, equal keys summed, sorted. The whole day for the trust, not an addition to it. */
  rows: DischargeCountRow[];
  total: number;
  contentHash: string;
  /** The content hash of the report this one replaces; absent on the first report for the trust and date. */
  supersedes?: string;
  source: FeedSource;
  importedBy: string;
}

export interface NctrListReportedData {
  trust: string;
  snapshotDate: LondonDate;
  rows: NctrCountRow[];
  total: number;
  contentHash: string;
  supersedes?: string;
  source: FeedSource;
  importedBy: string;
}

export type AcuteActivityEvent =
  DomainEvent<'AcuteDischargesReported', AcuteDischargesReportedData> | DomainEvent<'NctrListReported', NctrListReportedData>;

export type ReportAcuteDischarges = Command<
  'ReportAcuteDischarges',
  { trust: string; date: LondonDate; rows: DischargeCountRow[]; source: FeedSource }
>;
export type ReportNctrList = Command<
  'ReportNctrList',
  { trust: string; snapshotDate: LondonDate; rows: NctrCountRow[]; source: FeedSource }
>;
export type AcuteActivityCommand = ReportAcuteDischarges | ReportNctrList;

/** One report stream per trust, kind and date; only the latest content hash matters to deciding. */
export interface AcuteActivityReport {
  contentHash: string | null;
}

export const ACUTE_ACTIVITY_CATEGORY = 'acuteActivity';
export const ACUTE_ACTIVITY_COMMANDS: ReadonlyArray<AcuteActivityCommand['type']> = ['ReportAcuteDischarges', 'ReportNctrList'];

/** `acuteActivity-RH5.discharges.2026-11-23`. Dots, because `_` is not allowed in a stream id (validation.ts). */
export const acuteActivityStreamId = (trust: string, kind: ActivityKind, date: LondonDate): string =>
  `${ACUTE_ACTIVITY_CATEGORY}-${trust}.${kind}.${date}`;

export const acuteActivityStreamOf = (command: AcuteActivityCommand): string =>
  command.type === 'ReportAcuteDischarges'
    ? acuteActivityStreamId(command.data.trust, 'discharges', command.data.date)
    : acuteActivityStreamId(command.data.trust, 'nctr', command.data.snapshotDate);

const IMPORTING_ROLES: readonly string[] = ['hub', 'admin'];

export const acuteActivityReport: Decider<AcuteActivityReport, AcuteActivityCommand, AcuteActivityEvent> = {
  initialState: () => ({ contentHash: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'AcuteDischargesReported':
      case 'NctrListReported':
        return { contentHash: event.data.contentHash };
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    const { actor, now } = command.metadata;
    if (!IMPORTING_ROLES.includes(actor.role)) {
      throw new DomainRefusal(
        'ACTIVITY_FEED_IMPORT_FORBIDDEN',
        'Only the hub or an administrator may import an acute activity feed',
        'forbidden',
      );
    }
    switch (command.type) {
      case 'ReportAcuteDischarges': {
        const { trust, date, source } = command.data;
        refuseFutureOrBadCounts(date, now, command.data.rows);
        const rows = normaliseDischargeRows(command.data.rows);
        const contentHash = hashOf('discharges', trust, date, rows);
        if (contentHash === state.contentHash) return [];
        return [
          {
            type: 'AcuteDischargesReported',
            data: {
              trust,
              date,
              rows,
              total: totalOf(rows),
              contentHash,
              ...(state.contentHash ? { supersedes: state.contentHash } : {}),
              source,
              importedBy: actor.userId,
            },
          },
        ];
      }
      case 'ReportNctrList': {
        const { trust, snapshotDate, source } = command.data;
        refuseFutureOrBadCounts(snapshotDate, now, command.data.rows);
        const rows = normaliseNctrRows(command.data.rows);
        const contentHash = hashOf('nctr', trust, snapshotDate, rows);
        if (contentHash === state.contentHash) return [];
        return [
          {
            type: 'NctrListReported',
            data: {
              trust,
              snapshotDate,
              rows,
              total: totalOf(rows),
              contentHash,
              ...(state.contentHash ? { supersedes: state.contentHash } : {}),
              source,
              importedBy: actor.userId,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export const acuteActivityRoute: CommandRoute<AcuteActivityReport, AcuteActivityCommand, AcuteActivityEvent> = {
  decider: acuteActivityReport,
  streamOf: acuteActivityStreamOf,
};

/**
 * One command per (trust, kind, date) in the feed, each idempotent on its own stream. Command ids derive from
 * the request's, so a retried request writes the same event ids; every command is caused by the request.
 */
export function planImport(feed: ParsedActivityFeed, metadata: CommandMetadata): AcuteActivityCommand[] {
  const metadataFor = (streamId: string): CommandMetadata => ({
    ...metadata,
    commandId: deterministicUuid(`${metadata.commandId}:${streamId}`),
    causationId: metadata.causationId ?? metadata.commandId,
  });
  const byReport = <R extends { trust: string }>(rows: R[], dateOf: (row: R) => LondonDate) => {
    const groups = new Map<string, { trust: string; date: LondonDate; rows: R[] }>();
    for (const row of rows) {
      const key = `${row.trust}|${dateOf(row)}`;
      const group = groups.get(key) ?? { trust: row.trust, date: dateOf(row), rows: [] };
      group.rows.push(row);
      groups.set(key, group);
    }
    return [...groups.values()].sort((a, b) => compare([a.trust, a.date], [b.trust, b.date]));
  };

  if (feed.kind === 'discharges') {
    return byReport(feed.rows, (row) => row.date).map(({ trust, date, rows }) => ({
      type: 'ReportAcuteDischarges',
      data: { trust, date, rows: rows.map(({ trust: _t, date: _d, ...row }) => row), source: feed.source },
      metadata: metadataFor(acuteActivityStreamId(trust, 'discharges', date)),
    }));
  }
  return byReport(feed.rows, (row) => row.snapshotDate).map(({ trust, date, rows }) => ({
    type: 'ReportNctrList',
    data: { trust, snapshotDate: date, rows: rows.map(({ trust: _t, snapshotDate: _d, ...row }) => row), source: feed.source },
    metadata: metadataFor(acuteActivityStreamId(trust, 'nctr', date)),
  }));
}

const dischargeKey = (r: DischargeCountRow) => [r.site, r.pathway, r.destination, r.originalDestination ?? '', r.ageBand, r.area];
const nctrKey = (r: NctrCountRow) => [r.site, r.pathway, r.drd, r.primaryDelayCode, r.delayListVersion, r.ageBand, r.area];

/** The same facts in any order, split over equal rows or padded with zeros normalise to the same rows. */
export function normaliseDischargeRows(rows: readonly DischargeCountRow[]): DischargeCountRow[] {
  return normalise(rows, dischargeKey, (r, count) => ({
    site: r.site,
    pathway: r.pathway,
    destination: r.destination,
    ...(r.originalDestination !== undefined ? { originalDestination: r.originalDestination } : {}),
    ageBand: r.ageBand,
    area: r.area,
    count,
  }));
}

export function normaliseNctrRows(rows: readonly NctrCountRow[]): NctrCountRow[] {
  return normalise(rows, nctrKey, (r, count) => ({
    site: r.site,
    pathway: r.pathway,
    drd: r.drd,
    primaryDelayCode: r.primaryDelayCode,
    delayListVersion: r.delayListVersion,
    ageBand: r.ageBand,
    area: r.area,
    count,
  }));
}

function normalise<R extends { count: number }>(
  rows: readonly R[],
  key: (row: R) => (string | number)[],
  canonical: (row: R, count: number) => R,
): R[] {
  const merged = new Map<string, { key: (string | number)[]; row: R; count: number }>();
  for (const row of rows) {
    const k = key(row);
    const id = JSON.stringify(k);
    const found = merged.get(id);
    if (found) found.count += row.count;
    else merged.set(id, { key: k, row, count: row.count });
  }
  return [...merged.values()]
    .filter((m) => m.count > 0)
    .sort((a, b) => compare(a.key, b.key))
    .map((m) => canonical(m.row, m.count));
}

function compare(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** sha256 over the canonical JSON of the normalised report; rows are built with a fixed key order. */
function hashOf(kind: ActivityKind, trust: string, date: LondonDate, rows: readonly unknown[]): string {
  const canonical = JSON.stringify({ format: 'acute-activity/1', kind, trust, date, rows });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

const totalOf = (rows: readonly { count: number }[]) => rows.reduce((sum, row) => sum + row.count, 0);

function refuseFutureOrBadCounts(date: LondonDate, now: string, rows: readonly { count: number }[]): void {
  if (date > londonDate(now)) {
    throw new DomainRefusal(
      'ACTIVITY_REPORT_IN_FUTURE',
      `A report for ${date} cannot be imported before that day`,
      'unprocessable',
      {
        date,
      },
    );
  }
  if (rows.some((row) => !Number.isSafeInteger(row.count) || row.count < 0)) {
    throw new DomainRefusal('ACTIVITY_REPORT_BAD_COUNT', 'Every count must be a whole number of 0 or more', 'unprocessable');
  }
}
