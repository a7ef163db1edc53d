/** What the benchmarks share: the workload event, where their files go, the machine line and the table printer. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join, resolve } from 'node:path';
import type { NewEvent } from '../libs/event-sourcing/src/envelope';

// ---------------------------------------------------------------------------------------------------------------
// The workload: one realistic event (~400 bytes of JSON data, plus metadata)
// ---------------------------------------------------------------------------------------------------------------

const WARDS = ['Ward 7B (Elderly Care)', 'Ward 12 (Respiratory)', 'Ward 3A (Orthopaedics)', 'AMU'];

export function makeEvent(i: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'DischargeCaseReferred',
    data: {
      caseId: randomUUID(),
      patient: { nhsNumber: String(9434765000 + (i % 1000)), dateOfBirth: '1941-03-17', postcode: 'LS6 2QB' },
      ward: { odsCode: 'RR801', name: WARDS[i % WARDS.length], bed: `B${(i % 28) + 1}` },
      pathway: 'P1',
      needs: ['reablement', 'package-of-care', 'equipment:hospital-bed'],
      medicallyOptimisedAt: '2025-11-24T09:30:00.000Z',
      expectedDischargeDate: '2025-11-27',
      notes: 'Lives alone, first-floor flat. Double-handed care.',
    },
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { userId: randomUUID(), role: 'ward', organisation: 'RR801' },
    },
    occurredAt: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Files and the machine
// ---------------------------------------------------------------------------------------------------------------

/**
 * A fresh directory under BENCH_DIR (default data/bench) and a namer of fresh database files in it, one per
 * measurement. The caller removes `dir` when done.
 */
export function benchFiles(prefix: string): { dir: string; fresh: (name: string) => string } {
  const base = resolve(process.env.BENCH_DIR ?? join(__dirname, '..', 'data', 'bench'));
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, prefix));
  let fileNo = 0;
  return { dir, fresh: (name) => join(dir, `${++fileNo}-${name}.sqlite`) };
}

/** Cores, CPU model, node and OS, for the report's `machine:` line. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform} ${release()}`;
}

/** The 1, 5 and 15 minute load averages, now. */
export const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');

/**
 * A plain-text table: the columns in `leftAligned` padded on the right, the others on the left, and the last column
 * (notes) left as it is.
 */
export function printTable(header: string[], cells: string[][], leftAligned: readonly number[]): void {
  const last = header.length - 1;
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => (c === last ? 0 : row[c].length))));
  const line = (row: string[]): string =>
    row
      .map((cell, c) => (c === last ? cell : leftAligned.includes(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join(' | ');
  console.log(line(header));
  console.log(widths.map((w, c) => '-'.repeat(c === last ? 5 : w)).join('-|-'));
  for (const row of cells) console.log(line(row));
}
