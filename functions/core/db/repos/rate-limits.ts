import pgPromise, { type IDatabase, type ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const { ParameterizedQuery } = pgPromise;

const sql = {
  hit: sqlFile('rate-limits/hit.sql'),
  hitMany: sqlFile('rate-limits/hit-many.sql'),
  peek: sqlFile('rate-limits/peek.sql'),
  prune: sqlFile('rate-limits/prune.sql'),
};

export interface WindowCount {
  hits: number;
  /** Seconds until the window ends. */
  retryAfter: number;
}

/** Fixed-window counters in PostgreSQL, so every instance of every function counts together. */
export class RateLimitsRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  async hit(bucket: Buffer, windowSeconds: number): Promise<WindowCount> {
    const row = await this.db.one<{ hits: number; retry_after: number }>(new ParameterizedQuery({ text: sql.hit, values: [bucket, windowSeconds] }));
    return { hits: row.hits, retryAfter: row.retry_after };
  }

  /** One hit in each bucket, in one statement; the counts in the order of `buckets`. */
  async hitMany(buckets: ReadonlyArray<{ bucket: Buffer; windowSeconds: number }>): Promise<WindowCount[]> {
    const rows = await this.db.many<{ bucket: Buffer; hits: number; retry_after: number }>(
      new ParameterizedQuery({ text: sql.hitMany, values: [buckets.map((b) => b.bucket), buckets.map((b) => b.windowSeconds)] }),
    );
    return buckets.map((b) => {
      const row = rows.find((r) => r.bucket.equals(b.bucket))!;
      return { hits: row.hits, retryAfter: row.retry_after };
    });
  }

  async peek(bucket: Buffer, windowSeconds: number): Promise<WindowCount> {
    const row = await this.db.oneOrNone<{ hits: number; retry_after: number }>(new ParameterizedQuery({ text: sql.peek, values: [bucket, windowSeconds] }));
    return row ? { hits: row.hits, retryAfter: row.retry_after } : { hits: 0, retryAfter: 0 };
  }

  /** Removes ended windows, up to `batches` of 5,000; answers how many. */
  async prune(batches = 20): Promise<number> {
    let total = 0;
    for (let i = 0; i < batches; i++) {
      const { rowCount } = await this.db.result(sql.prune);
      total += rowCount;
      if (rowCount < 5000) break;
    }
    return total;
  }
}
