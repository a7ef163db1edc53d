import {
  assertSafeKey,
  backoffDelay,
  BusEvent,
  BusMessage,
  Delivery,
  DeliveryFailedError,
  MessageBus,
  MessageHandler,
  resolveRetryPolicy,
  RetryPolicy,
  SubscribeOptions,
  Subscription,
} from './bus';

export interface ShuffleOptions {
  /** Same seed, same publishes, same handler timings → the same delivery order. */
  seed: number;
  /**
   * Probability (0 ≤ p < 1) that a successfully handled message makes its key replay 1–3 of its latest
   * messages, as a Kafka consumer does after a rebalance or a crash before committing. Each message
   * triggers at most one replay, so delivery always progresses.
   */
  duplicateRate?: number;
}

export interface InProcessBusOptions {
  /** Handlers running at once in one group (always for different keys). Default 32; 1 in shuffle mode. */
  maxInFlightPerGroup?: number;
  /**
   * Shuffle mode, for property tests: one delivery at a time per group, and the next key is drawn with a
   * seeded RNG among those with pending messages, so different keys interleave randomly (as Kafka
   * partitions do) while each key keeps its order. It can also inject duplicate deliveries.
   */
  shuffle?: ShuffleOptions;
}

/**
 * The embedded bus: at least once, in order per key, consumer groups with committed positions.
 *
 * It keeps every published message in memory for the life of the process and knows nothing of disks.
 * In the standalone deployment it is fed by the relay from the event store's stored checkpoint, so a
 * restart re-publishes whatever had not been handled: the store, not this bus, is what survives.
 *
 * Model: each topic is an append-only log. Each group has, per (topic, key), a lane with a cursor (its
 * committed position for that key). A lane is handed to one member of the group at a time, chosen by a
 * hash of the key among the members subscribed to that topic, so two members of one group share keys
 * and each key stays on one member while the membership is unchanged. A lane's cursor moves only after
 * the handler's promise resolved.
 */
export class InProcessBus implements MessageBus {
  private readonly topics = new Map<string, TopicLog>();
  private readonly groups = new Map<string, Group>();
  private readonly maxInFlight: number;
  private readonly rng: (() => number) | undefined;
  private readonly duplicateRate: number;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private nextMemberId = 1;

  constructor(options: InProcessBusOptions = {}) {
    const shuffle = options.shuffle;
    this.maxInFlight = shuffle ? 1 : (options.maxInFlightPerGroup ?? 32);
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new Error('maxInFlightPerGroup must be ≥ 1');
    this.rng = shuffle ? mulberry32(shuffle.seed) : undefined;
    this.duplicateRate = shuffle?.duplicateRate ?? 0;
    if (this.duplicateRate < 0 || this.duplicateRate >= 1) throw new Error('duplicateRate must be in [0, 1)');
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (this.closed) throw new Error('bus closed');
    // Validate and serialise everything first: a batch is all or nothing.
    const prepared = messages.map((m) => {
      if (!m.topic) throw new Error('a bus message needs a topic');
      assertSafeKey(m.key);
      return { topic: m.topic, key: m.key, value: JSON.stringify(m.value), headers: { ...m.headers } };
    });
    const touched = new Set<Group>();
    for (const m of prepared) {
      const log = this.topic(m.topic);
      const entry: Entry = { ...m, offset: log.entries.length };
      log.entries.push(entry);
      let forKey = log.byKey.get(m.key);
      if (!forKey) log.byKey.set(m.key, (forKey = []));
      forKey.push(entry);
      for (const group of this.groups.values()) {
        if (!group.members.some((member) => member.topics.has(m.topic))) continue;
        this.markReady(group, this.lane(group, m.topic, m.key));
        touched.add(group);
      }
    }
    for (const group of touched) this.schedulePump(group);
  }

  async subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    if (this.closed) throw new Error('bus closed');
    if (options.topics.length === 0) throw new Error('subscribe to at least one topic');
    const retry = resolveRetryPolicy(options.retry);
    let group = this.groups.get(options.groupId);
    if (!group) this.groups.set(options.groupId, (group = new Group(options.groupId)));
    for (const topic of options.topics) {
      if (!group.startOffsets.has(topic)) {
        group.startOffsets.set(topic, options.fromBeginning ? 0 : this.topic(topic).entries.length);
      }
    }
    const member = new Member(this.nextMemberId++, new Set(options.topics), handler, retry);
    group.members.push(member);
    this.rescan(group);
    const g = group;
    return {
      done: member.done,
      close: async () => {
        this.leave(g, member, undefined);
        await member.done.catch(() => undefined);
      },
    };
  }

  /** Resolves when no group has a handler running or a message it could deliver now. For tests. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    const members: Promise<unknown>[] = [];
    for (const group of this.groups.values()) {
      for (const member of [...group.members]) {
        this.leave(group, member, undefined);
        members.push(member.done.catch(() => undefined));
      }
    }
    await Promise.all(members);
  }

  // ---- internals -------------------------------------------------------------------------------

  private topic(name: string): TopicLog {
    let log = this.topics.get(name);
    if (!log) this.topics.set(name, (log = { entries: [], byKey: new Map() }));
    return log;
  }

  private lane(group: Group, topic: string, key: string): Lane {
    const id = `${topic}\u0000${key}`;
    let lane = group.lanes.get(id);
    if (!lane) {
      // A group that joined a topic "from now on" starts each key after what was there when it joined.
      const start = group.startOffsets.get(topic) ?? 0;
      const forKey = this.topic(topic).byKey.get(key) ?? [];
      let cursor = 0;
      while (cursor < forKey.length && forKey[cursor].offset < start) cursor++;
      lane = { topic, key, cursor, inFlight: false, queued: false, replayed: new Set() };
      group.lanes.set(id, lane);
    }
    return lane;
  }

  private pending(lane: Lane): Entry | undefined {
    return this.topic(lane.topic).byKey.get(lane.key)?.[lane.cursor];
  }

  private markReady(group: Group, lane: Lane): void {
    if (lane.queued || lane.inFlight || !this.pending(lane)) return;
    lane.queued = true;
    group.ready.push(lane);
  }

  /** After a membership change: every lane of the group's topics may have a new owner. */
  private rescan(group: Group): void {
    const topics = new Set(group.members.flatMap((m) => [...m.topics]));
    for (const topic of topics) {
      for (const key of this.topic(topic).byKey.keys()) this.markReady(group, this.lane(group, topic, key));
    }
    this.schedulePump(group);
  }

  private ownerOf(group: Group, lane: Lane): Member | undefined {
    const candidates = group.members.filter((m) => !m.closing && m.topics.has(lane.topic));
    if (candidates.length === 0) return undefined;
    return candidates[fnv1a(lane.key) % candidates.length];
  }

  private schedulePump(group: Group): void {
    if (group.pumpScheduled) return;
    group.pumpScheduled = true;
    setImmediate(() => {
      group.pumpScheduled = false;
      this.pump(group);
    });
  }

  private pump(group: Group): void {
    while (group.inFlight < this.maxInFlight && group.ready.length > 0) {
      const lane = this.rng ? group.ready.takeAt(Math.floor(this.rng() * group.ready.length)) : group.ready.shift();
      lane.queued = false;
      if (lane.inFlight || !this.pending(lane)) continue;
      const owner = this.ownerOf(group, lane);
      if (!owner) continue; // picked up again by rescan when a member joins
      this.deliver(group, lane, owner);
    }
    this.notifyIdle();
  }

  private deliver(group: Group, lane: Lane, member: Member): void {
    const entry = this.pending(lane)!;
    lane.inFlight = true;
    group.inFlight++;
    member.inFlight++;
    const settle = async (): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          await member.handler(toDelivery(entry, attempt));
          break;
        } catch (error) {
          if (attempt >= member.retry.maxAttempts) {
            this.leave(group, member, new DeliveryFailedError(entry.topic, entry.key, idOf(entry), attempt, error));
            return; // not committed: the key's next owner gets it again
          }
          await sleep(backoffDelay(member.retry, attempt));
          if (member.closing) return; // closed during the back-off: not committed either
        }
      }
      lane.cursor++; // commit
      if (this.rng && this.duplicateRate > 0 && !lane.replayed.has(entry.offset) && this.rng() < this.duplicateRate) {
        lane.replayed.add(entry.offset);
        lane.cursor -= 1 + Math.floor(this.rng() * Math.min(3, lane.cursor));
      }
    };
    void settle().finally(() => {
      lane.inFlight = false;
      group.inFlight--;
      member.inFlight--;
      member.settleIfDrained();
      this.markReady(group, lane);
      this.schedulePump(group);
    });
  }

  private leave(group: Group, member: Member, failure: Error | undefined): void {
    if (member.closing) return;
    member.closing = true;
    member.failure = failure;
    group.members = group.members.filter((m) => m !== member);
    member.settleIfDrained();
    this.rescan(group);
  }

  private isIdle(): boolean {
    for (const group of this.groups.values()) {
      if (group.inFlight > 0 || group.pumpScheduled) return false;
      if (group.ready.length > 0) return false;
    }
    return true;
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

interface Entry {
  topic: string;
  key: string;
  /** JSON: each delivery parses its own copy, as a broker would. */
  value: string;
  headers: Record<string, string>;
  offset: number;
}

interface TopicLog {
  entries: Entry[];
  byKey: Map<string, Entry[]>;
}

interface Lane {
  topic: string;
  key: string;
  /** Index into the key's entries of the next message to deliver: the group's committed position. */
  cursor: number;
  inFlight: boolean;
  queued: boolean;
  /** Entry offsets that already triggered a (shuffle-mode) replay. */
  replayed: Set<number>;
}

class Group {
  members: Member[] = [];
  readonly lanes = new Map<string, Lane>();
  readonly ready = new ReadyQueue<Lane>();
  readonly startOffsets = new Map<string, number>();
  inFlight = 0;
  pumpScheduled = false;
  constructor(readonly id: string) {}
}

class Member {
  closing = false;
  failure: Error | undefined;
  inFlight = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: Error) => void;
  private settled = false;

  constructor(
    readonly id: number,
    readonly topics: Set<string>,
    readonly handler: MessageHandler,
    readonly retry: RetryPolicy,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => undefined); // observed through `done` by whoever cares; never unhandled
  }

  settleIfDrained(): void {
    if (this.settled || !this.closing || this.inFlight > 0) return;
    this.settled = true;
    if (this.failure) this.reject(this.failure);
    else this.resolve();
  }
}

/** FIFO with O(1) shift, plus O(1) removal at a random index (order then no longer matters). */
class ReadyQueue<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T {
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  takeAt(index: number): T {
    const at = this.head + index;
    const item = this.items[at];
    this.items[at] = this.items[this.items.length - 1];
    this.items.pop();
    return item;
  }
}

const toDelivery = (entry: Entry, attempt: number): Delivery => ({
  topic: entry.topic,
  key: entry.key,
  value: JSON.parse(entry.value) as BusEvent,
  headers: { ...entry.headers },
  attempt,
  partition: 0,
  offset: String(entry.offset),
});

const idOf = (entry: Entry): string => (JSON.parse(entry.value) as BusEvent).id;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 32-bit FNV-1a: a stable key → member spread. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** A small seeded PRNG (mulberry32), uniform in [0, 1). */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
