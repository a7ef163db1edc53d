import { BusEvent, BusMessage } from './bus';

/** Test helper: a message for `key` whose event id and data carry `seq`, so order can be checked. */
export const testMessage = (topic: string, key: string, seq: number, data: Record<string, unknown> = {}): BusMessage => {
  const event: BusEvent = {
    id: `${key}#${seq}`,
    type: 'TestHappened',
    schemaVersion: 1,
    streamId: `test-${key}`,
    revision: seq,
    position: String(seq),
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    data: { seq, ...data },
    metadata: {
      correlationId: `${key}#${seq}`,
      causationId: `${key}#${seq}`,
      actor: { userId: 'test', role: 'system', organisation: 'TEST' },
    },
  };
  return { topic, key, value: event, headers: { 'event-id': event.id, 'event-type': event.type } };
};

export const seqOf = (value: BusEvent): number => (value.data as { seq: number }).seq;

/** `count` messages for each of `keys`, interleaved key by key: k0#0, k1#0, …, k0#1, k1#1, … */
export const interleaved = (topic: string, keys: readonly string[], count: number): BusMessage[] => {
  const out: BusMessage[] = [];
  for (let seq = 0; seq < count; seq++) for (const key of keys) out.push(testMessage(topic, key, seq));
  return out;
};

/** `count` messages for each key, key after key: k0#0 … k0#n, k1#0 … */
export const grouped = (topic: string, keys: readonly string[], count: number): BusMessage[] =>
  keys.flatMap((key) => Array.from({ length: count }, (_, seq) => testMessage(topic, key, seq)));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const until = async (condition: () => boolean, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
};
