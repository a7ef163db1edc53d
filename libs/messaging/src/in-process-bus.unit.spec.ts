import { Delivery, DeliveryFailedError } from './bus';
import { InProcessBus } from './in-process-bus';
import { grouped, interleaved, seqOf, sleep, testMessage } from './test-messages';

const TOPIC = 'discharge.events.v1';
const fast = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 };

/** Per key, the sequence numbers in the order the handler received them. */
const byKey = (deliveries: readonly Delivery[]): Map<string, number[]> => {
  const out = new Map<string, number[]>();
  for (const d of deliveries) {
    const list = out.get(d.key) ?? [];
    list.push(seqOf(d.value));
    out.set(d.key, list);
  }
  return out;
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** How often consecutive deliveries switch key: 0 when the keys come one after another. */
const keySwitches = (deliveries: readonly Delivery[]): number =>
  deliveries.filter((d, i) => i > 0 && d.key !== deliveries[i - 1].key).length;

describe('InProcessBus', () => {
  describe('order per key', () => {
    it('given slow, uneven handlers and publishes while they run, hands each key its messages in order and one at a time, while keys run in parallel', async () => {
      // Given
      const bus = new InProcessBus();
      const keys = ['a', 'b', 'c', 'd'];
      const seen: Delivery[] = [];
      const running = new Map<string, number>();
      let maxPerKey = 0;
      let maxOverall = 0;
      let overall = 0;
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => {
        running.set(d.key, (running.get(d.key) ?? 0) + 1);
        overall++;
        maxPerKey = Math.max(maxPerKey, running.get(d.key)!);
        maxOverall = Math.max(maxOverall, overall);
        await sleep((seqOf(d.value) * 7 + d.key.charCodeAt(0)) % 5);
        seen.push(d);
        running.set(d.key, running.get(d.key)! - 1);
        overall--;
      });

      // When: published in chunks, so that new messages for a key arrive while its handler runs
      const messages = interleaved(TOPIC, keys, 25);
      for (let i = 0; i < messages.length; i += 10) {
        await bus.publish(messages.slice(i, i + 10));
        await sleep(3);
      }
      await bus.idle();

      // Then
      expect(seen).toHaveLength(100);
      for (const key of keys) expect(byKey(seen).get(key)).toEqual(range(25));
      expect(maxPerKey).toBe(1);
      expect(maxOverall).toBeGreaterThan(1);
      await bus.close();
    });

    it('given one handler in flight at a time and a burst on one key, takes the keys in turn', async () => {
      const bus = new InProcessBus({ maxInFlightPerGroup: 1 });
      const seen: string[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => {
        seen.push(d.value.id);
      });

      await bus.publish(grouped(TOPIC, ['a', 'b'], 3));
      await bus.idle();

      expect(seen).toEqual(['a#0', 'b#0', 'a#1', 'b#1', 'a#2', 'b#2']);
    });
  });

  describe('consumer groups', () => {
    it('given two groups, each gets every message', async () => {
      // Given
      const bus = new InProcessBus();
      const one: string[] = [];
      const two: string[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'one', fromBeginning: true }, async (d) => void one.push(d.value.id));
      await bus.subscribe({ topics: [TOPIC], groupId: 'two', fromBeginning: true }, async (d) => void two.push(d.value.id));
      const messages = interleaved(TOPIC, ['a', 'b', 'c'], 4);

      // When
      await bus.publish(messages);
      await bus.idle();

      // Then
      const ids = messages.map((m) => m.value.id).sort();
      expect([...one].sort()).toEqual(ids);
      expect([...two].sort()).toEqual(ids);
    });

    it('given two subscribers in one group, they share the keys: each message once, each key on one subscriber', async () => {
      // Given
      const bus = new InProcessBus();
      const first: Delivery[] = [];
      const second: Delivery[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void first.push(d));
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void second.push(d));
      const keys = range(20).map((i) => `case-${i}`);

      // When
      await bus.publish(interleaved(TOPIC, keys, 3));
      await bus.idle();

      // Then
      expect(first.length + second.length).toBe(60);
      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBeGreaterThan(0);
      const firstKeys = new Set(first.map((d) => d.key));
      expect(second.filter((d) => firstKeys.has(d.key))).toEqual([]);
      const all = byKey([...first, ...second]);
      for (const key of keys) expect(all.get(key)).toEqual([0, 1, 2]);
    });

    it('given a group that leaves and comes back, resumes after what it had handled; a new group from now on sees only new messages', async () => {
      // Given
      const bus = new InProcessBus();
      const before: string[] = [];
      const sub = await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => {
        before.push(d.value.id);
      });
      await bus.publish([testMessage(TOPIC, 'a', 0), testMessage(TOPIC, 'b', 0)]);
      await bus.idle();
      await sub.close();
      await bus.publish([testMessage(TOPIC, 'a', 1)]);

      // When
      const after: string[] = [];
      const latecomer: string[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void after.push(d.value.id));
      await bus.subscribe({ topics: [TOPIC], groupId: 'late', fromBeginning: false }, async (d) => {
        latecomer.push(d.value.id);
      });
      await bus.publish([testMessage(TOPIC, 'b', 1)]);
      await bus.idle();

      // Then
      expect(before.sort()).toEqual(['a#0', 'b#0']);
      expect(after.sort()).toEqual(['a#1', 'b#1']);
      expect(latecomer).toEqual(['b#1']);
    });
  });

  describe('redelivery', () => {
    it('given a handler that fails twice, redelivers with a growing attempt number and holds the key back meanwhile', async () => {
      // Given
      const bus = new InProcessBus();
      const seen: { id: string; attempt: number }[] = [];
      let failures = 0;
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true, retry: fast }, async (d) => {
        seen.push({ id: d.value.id, attempt: d.attempt });
        if (d.value.id === 'a#0' && failures < 2) {
          failures++;
          throw new Error('target busy');
        }
      });

      // When
      await bus.publish([testMessage(TOPIC, 'a', 0), testMessage(TOPIC, 'a', 1)]);
      await bus.idle();

      // Then
      expect(seen).toEqual([
        { id: 'a#0', attempt: 1 },
        { id: 'a#0', attempt: 2 },
        { id: 'a#0', attempt: 3 },
        { id: 'a#1', attempt: 1 },
      ]);
    });

    it('given a handler that keeps failing, stops the subscription with the error and leaves the message for the next subscriber', async () => {
      // Given
      const bus = new InProcessBus();
      const attempts: number[] = [];
      const sub = await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true, retry: fast }, async (d) => {
        attempts.push(d.attempt);
        throw new Error('always');
      });

      // When
      await bus.publish([testMessage(TOPIC, 'a', 0)]);

      // Then
      const error = await sub.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DeliveryFailedError);
      expect(error).toMatchObject({ topic: TOPIC, key: 'a', eventId: 'a#0', attempts: 3 });
      expect(attempts).toEqual([1, 2, 3]);

      const retried: string[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void retried.push(d.value.id));
      await bus.idle();
      expect(retried).toEqual(['a#0']);
    });

    it('given a subscriber closed while its handler runs, close waits for it and commits it; the rest goes to the next subscriber', async () => {
      // Given
      const bus = new InProcessBus({ maxInFlightPerGroup: 1 });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first: string[] = [];
      let started!: () => void;
      const inHandler = new Promise<void>((resolve) => (started = resolve));
      const sub = await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => {
        started();
        await gate;
        first.push(d.value.id);
      });
      await bus.publish(grouped(TOPIC, ['a'], 3));
      await inHandler;

      // When
      let closed = false;
      const closing = sub.close().then(() => (closed = true));
      await sleep(10);
      const closedBeforeRelease = closed;
      release();
      await closing;
      const second: string[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void second.push(d.value.id));
      await bus.idle();

      // Then
      expect(closedBeforeRelease).toBe(false);
      expect(first).toEqual(['a#0']);
      expect(second).toEqual(['a#1', 'a#2']);
    });
  });

  describe('shuffle mode', () => {
    const run = async (seed: number, duplicateRate = 0): Promise<Delivery[]> => {
      const bus = new InProcessBus({ shuffle: { seed, duplicateRate } });
      const seen: Delivery[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void seen.push(d));
      await bus.publish(grouped(TOPIC, ['a', 'b', 'c'], 20));
      await bus.idle();
      await bus.close();
      return seen;
    };

    it('given keys published one after another, interleaves them randomly but keeps each key in order', async () => {
      // When
      const seen = await run(42);

      // Then: neither as published (a…a b…b c…c) nor the plain bus's turn-taking (a b c a b c …)
      expect(seen).toHaveLength(60);
      expect(keySwitches(seen)).toBeGreaterThan(15);
      expect(keySwitches(seen)).toBeLessThan(59);
      for (const key of ['a', 'b', 'c']) expect(byKey(seen).get(key)).toEqual(range(20));
    });

    it('given the same seed, reproduces the same order; another seed gives another', async () => {
      const ids = (seen: Delivery[]) => seen.map((d) => d.value.id);
      expect(ids(await run(7))).toEqual(ids(await run(7)));
      expect(ids(await run(7))).not.toEqual(ids(await run(8)));
    });

    it('given a duplicate rate, redelivers some messages as replays of a key, never skipping one', async () => {
      // When
      const seen = await run(3, 0.3);

      // Then
      expect(seen.length).toBeGreaterThan(60);
      for (const [, seqs] of byKey(seen)) {
        expect(new Set(seqs)).toEqual(new Set(range(20)));
        // Each delivery is the next message or a step back (a replay), never a jump ahead.
        seqs.forEach((seq, i) => expect(seq).toBeLessThanOrEqual(i === 0 ? 0 : seqs[i - 1] + 1));
      }
      // First deliveries stay in order.
      const firsts = new Map<string, number[]>();
      const once = new Set<string>();
      for (const d of seen) {
        if (once.has(d.value.id)) continue;
        once.add(d.value.id);
        firsts.set(d.key, [...(firsts.get(d.key) ?? []), seqOf(d.value)]);
      }
      for (const [, seqs] of firsts) expect(seqs).toEqual(range(20));
    });

    it('rejects a duplicate rate of 1, which would never progress', () => {
      expect(() => new InProcessBus({ shuffle: { seed: 1, duplicateRate: 1 } })).toThrow(/duplicateRate/);
    });
  });

  describe('publish', () => {
    it('given a message, the subscriber gets its own copy of the value and headers', async () => {
      // Given
      const bus = new InProcessBus();
      const seen: Delivery[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void seen.push(d));
      const message = testMessage(TOPIC, 'a', 0);

      // When
      await bus.publish([message]);
      (message.value.data as { seq: number }).seq = 99;
      await bus.idle();

      // Then
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ topic: TOPIC, key: 'a', attempt: 1, headers: { 'event-id': 'a#0' } });
      expect(seqOf(seen[0].value)).toBe(0);
    });

    it('rejects a batch with an NHS number as a key, publishing none of it', async () => {
      const bus = new InProcessBus();
      const seen: string[] = [];
      await bus.subscribe({ topics: [TOPIC], groupId: 'pm', fromBeginning: true }, async (d) => void seen.push(d.value.id));

      await expect(bus.publish([testMessage(TOPIC, 'a', 0), testMessage(TOPIC, '943 476 5919', 0)])).rejects.toThrow(
        /NHS number/,
      );
      await bus.idle();

      expect(seen).toEqual([]);
    });
  });
});
