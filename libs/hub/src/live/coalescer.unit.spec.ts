import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  let state: number;
  let pushes: Array<{ key: string; state: number; at: number }>;
  let coalescer: Coalescer;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    state = 0;
    pushes = [];
    coalescer = new Coalescer((key) => pushes.push({ key, state, at: Date.now() }), { windowMs: 100 });
  });

  afterEach(() => {
    coalescer.close();
    jest.useRealTimers();
  });

  it('pushes a single change at once, and nothing after it', () => {
    state = 1;
    coalescer.change('view:pathway-shares');

    expect(pushes).toEqual([{ key: 'view:pathway-shares', state: 1, at: 0 }]);
    jest.advanceTimersByTime(10_000);
    expect(pushes).toHaveLength(1);
  });

  it('pushes nothing when nothing changes', () => {
    jest.advanceTimersByTime(10_000);

    expect(pushes).toEqual([]);
  });

  it('turns a burst of 1,000 changes over a second into at most 11 pushes, the last with the final state', () => {
    for (let i = 1; i <= 1000; i++) {
      state = i;
      coalescer.change('view:case-list');
      jest.advanceTimersByTime(1);
    }
    jest.advanceTimersByTime(1_000);

    expect(pushes.length).toBeLessThanOrEqual(11);
    expect(pushes[0]).toEqual({ key: 'view:case-list', state: 1, at: 0 });
    expect(pushes.at(-1)!.state).toBe(1000);
    for (let i = 1; i < pushes.length; i++) expect(pushes[i].at - pushes[i - 1].at).toBeGreaterThanOrEqual(100);
  });

  it('pushes the end of a burst when its window closes, not later', () => {
    coalescer.change('room');
    state = 2;
    jest.advanceTimersByTime(40);
    coalescer.change('room');
    state = 3;
    coalescer.change('room');

    jest.advanceTimersByTime(59);
    expect(pushes.map((p) => p.state)).toEqual([0]);
    jest.advanceTimersByTime(1);
    expect(pushes).toEqual([
      { key: 'room', state: 0, at: 0 },
      { key: 'room', state: 3, at: 100 },
    ]);
  });

  it('pushes on the leading edge again once a quiet window has passed', () => {
    coalescer.change('room');
    jest.advanceTimersByTime(100);
    state = 5;
    coalescer.change('room');

    expect(pushes.map((p) => [p.state, p.at])).toEqual([
      [0, 0],
      [5, 100],
    ]);
  });

  it('keeps keys apart: one busy room does not delay another', () => {
    coalescer.change('a');
    coalescer.change('a');
    coalescer.change('b');

    expect(pushes.map((p) => p.key)).toEqual(['a', 'b']);
    jest.advanceTimersByTime(100);
    expect(pushes.map((p) => p.key)).toEqual(['a', 'b', 'a']);
  });

  it('drops what a forgotten key had gathered', () => {
    coalescer.change('room');
    coalescer.change('room');
    coalescer.forget('room');
    jest.advanceTimersByTime(1_000);

    expect(pushes).toHaveLength(1);
  });
});
