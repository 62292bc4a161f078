import type pg from 'pg';

/**
 * Runs `work` in one transaction on a connection of `pool`: COMMIT when it returns, ROLLBACK when it throws (and its
 * error is passed on). A connection whose ROLLBACK fails too (the server went away) is destroyed rather than put back
 * in the pool; the error thrown is still `work`'s, the cause of both.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
