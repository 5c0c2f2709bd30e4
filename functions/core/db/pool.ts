import type { IDatabase } from 'pg-promise';

/**
 * Ends a pg-promise database's pool. `$pool.end()` resolves once its clients are told to end,
 * before their sockets close, and pg-promise drops its pool 'error' listener as the pool ends:
 * a connection PostgreSQL terminates meanwhile (57P01 as the server stops) would otherwise be
 * re-emitted by pg-pool as an 'error' nobody hears, an uncaught exception.
 */
export async function endPool(db: IDatabase<unknown>): Promise<void> {
  db.$pool.on('error', () => undefined);
  await db.$pool.end();
}
