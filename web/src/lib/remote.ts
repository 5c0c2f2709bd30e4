/**
 * One remote value, loaded again whenever what it depends on changes, as @lit/task's Task
 * does for an element (which this module cannot be): a newer run aborts and overrides an
 * older one, and the last value stays while a refresh is pending.
 */
export class Remote<T> {
  status: 'initial' | 'pending' | 'complete' | 'error' = 'initial';
  value?: T;
  error?: unknown;
  private _key?: readonly unknown[];
  private _runs = 0;
  private _abort?: AbortController;

  constructor(private readonly _changed: () => void) {}

  /** Runs `load` unless `key` is what the last run was for; `load` answers undefined when there is nothing to load. */
  sync(key: readonly unknown[], load: (signal: AbortSignal) => Promise<T> | undefined): Promise<void> {
    if (this._key && this._key.length === key.length && this._key.every((k, i) => Object.is(k, key[i]))) return Promise.resolve();
    return this.run(key, load);
  }

  async run(key: readonly unknown[], load: (signal: AbortSignal) => Promise<T> | undefined): Promise<void> {
    this._key = key;
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    const run = ++this._runs;
    const loading = load(abort.signal);
    if (!loading) {
      this.status = 'initial';
      this._changed();
      return;
    }
    this.status = 'pending';
    this._changed();
    try {
      const value = await loading;
      if (run !== this._runs) return;
      [this.status, this.value, this.error] = ['complete', value, undefined];
    } catch (error) {
      if (run !== this._runs) return;
      [this.status, this.value, this.error] = ['error', undefined, error];
    }
    this._changed();
  }
}
