export interface CoalescerOptions {
  /** How long a burst is gathered before its latest state goes out. Default 100 ms: at most ~10 pushes a second per key. */
  windowMs?: number;
}

/**
 * Leading edge, then coalesce: the first change for a key is pushed at once, so a single change reaches
 * the screen without delay; changes within the window that follows are gathered and pushed once when it
 * ends, and a push that ends a window opens the next. `push` reads the latest state when it is called, so
 * every push carries the newest state. `push` must not throw: it runs from a timer.
 */
export class Coalescer<Key = string> {
  readonly windowMs: number;
  /** Keys inside a window, and whether a change arrived since their last push. */
  private readonly windows = new Map<Key, { timer: NodeJS.Timeout; dirty: boolean }>();

  constructor(
    private readonly push: (key: Key) => void,
    options: CoalescerOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 100;
  }

  change(key: Key): void {
    const window = this.windows.get(key);
    if (window) {
      window.dirty = true;
      return;
    }
    this.open(key);
    this.push(key);
  }

  /** Forget a key (e.g. its room emptied): nothing more is pushed for the changes already gathered. */
  forget(key: Key): void {
    const window = this.windows.get(key);
    if (window) clearTimeout(window.timer);
    this.windows.delete(key);
  }

  close(): void {
    for (const key of [...this.windows.keys()]) this.forget(key);
  }

  private open(key: Key) {
    const timer = setTimeout(() => {
      const window = this.windows.get(key);
      this.windows.delete(key);
      if (!window?.dirty) return;
      this.open(key);
      this.push(key);
    }, this.windowMs);
    this.windows.set(key, { timer, dirty: false });
  }
}
