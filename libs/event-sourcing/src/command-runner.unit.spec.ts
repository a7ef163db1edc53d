import { randomUUID } from 'node:crypto';
import { CommandRunner } from './command-runner';
import type { Command, Decider, DomainEvent } from './decider';
import { WrongExpectedRevision } from './errors';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

type Noted = DomainEvent<'NoteAdded', { text: string }>;
type AddNote = Command<'AddNote', { text: string }>;
const notes: Decider<{ count: number }, AddNote, Noted> = {
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  decide: (command) => ({ type: 'NoteAdded', data: { text: command.data.text } }),
};
const addNote = (text: string): AddNote => ({
  type: 'AddNote',
  data: { text },
  metadata: {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    actor: { userId: 'u', role: 'hub', organisation: 'TOCH' },
    now: '2026-11-25T09:00:00.000Z',
  },
});

describe('CommandRunner under concurrent writers', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
  afterEach(() => store.close());

  it('given writers that did not name a revision, when they race, then each is re-read and re-decided and all land', async () => {
    const runner = new CommandRunner(store);
    await runner.run(notes, 'note-1', addNote('first'));
    const outcomes = await Promise.all(['a', 'b', 'c'].map((t) => runner.run(notes, 'note-1', addNote(t), { retries: 3 })));
    expect(outcomes.map((o) => o.revision).sort()).toEqual([1, 2, 3]);
    expect(await store.readStream('note-1')).toHaveLength(4);
  });

  it('given a writer that named the revision it saw (If-Match), when another write landed first, then it is refused and not retried', async () => {
    const runner = new CommandRunner(store);
    await runner.run(notes, 'note-1', addNote('first'));
    await runner.run(notes, 'note-1', addNote('second'));
    await expect(runner.run(notes, 'note-1', addNote('stale'), { expectedRevision: 0, retries: 3 })).rejects.toBeInstanceOf(
      WrongExpectedRevision,
    );
    expect(await store.readStream('note-1')).toHaveLength(2);
  });

  it('given no retries, when writers race, then the losers conflict', async () => {
    const runner = new CommandRunner(store);
    await runner.run(notes, 'note-1', addNote('first'));
    const results = await Promise.allSettled(['a', 'b'].map((t) => runner.run(notes, 'note-1', addNote(t))));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });
});
