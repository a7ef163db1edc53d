import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';

// CI installs strace; elsewhere the trace tests are skipped when it is missing, since they cannot run without it.
const hasStrace = spawnSync('strace', ['-V']).status === 0;

describe('SqliteEventStore durability', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'toc-durability-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given the default options, then the open connection is WAL, synchronous=FULL and secure_delete=ON', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'hub.sqlite') });
    expect(store.connectionSettings()).toEqual({ journalMode: 'wal', synchronous: 'FULL', secureDelete: true });
    await store.close();
  });

  /**
   * Traces the child's syscalls: between one acknowledgement and the next there must be an
   * fsync/fdatasync of the WAL file. A kill -9 test would prove nothing, as the page cache survives it.
   */
  const syncsBeforeEachAck = (synchronous: string, groupCommit: boolean) => {
    const trace = join(dir, `strace-${synchronous}-${groupCommit}.log`);
    const child = spawnSync(
      'strace',
      [
        '-f',
        '-y',
        '-e',
        'trace=fsync,fdatasync,write',
        '-o',
        trace,
        process.execPath,
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, 'fixtures/ack-after-append.ts'),
        join(dir, `hub-${synchronous}-${groupCommit}.sqlite`),
        synchronous,
        String(groupCommit),
        '8',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout.trim().split('\n')).toHaveLength(8);
    let walSyncedSinceLastAck = false;
    const verdicts: boolean[] = [];
    for (const line of readFileSync(trace, 'utf8').split('\n')) {
      if (/\b(fsync|fdatasync)\(\d+<[^>]*-wal>\)\s*=\s*0/.test(line)) walSyncedSinceLastAck = true;
      if (/\bwrite\(1<[^>]*>, "ACK \d+\\n"/.test(line)) {
        verdicts.push(walSyncedSinceLastAck);
        walSyncedSinceLastAck = false;
      }
    }
    expect(verdicts).toHaveLength(8);
    return verdicts;
  };

  (hasStrace || process.env.CI === 'true' ? it : it.skip)(
    'given synchronous=FULL, when each append is acknowledged, then the WAL was synced before the acknowledgement',
    () => {
      expect(syncsBeforeEachAck('FULL', false)).toEqual(Array(8).fill(true));
      expect(syncsBeforeEachAck('FULL', true)).toEqual(Array(8).fill(true));
    },
    120_000,
  );

  (hasStrace || process.env.CI === 'true' ? it : it.skip)(
    'given synchronous=OFF (the control), then acknowledgements go out with no sync, so the check above can fail',
    () => {
      expect(syncsBeforeEachAck('OFF', true)).toEqual(Array(8).fill(false));
    },
    120_000,
  );
});
