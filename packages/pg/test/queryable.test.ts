/**
 * `poolQueryable`'s transactions: a connection that dies while a transaction holds it is an
 * error of that transaction, never an unhandled 'error' event that crashes the process.
 */
import { EventEmitter } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import { poolQueryable } from '../src/lib/queryable.js';

/** A pool of one client whose connection dies, as a socket does, during its second query. */
function dyingPool() {
  const released: unknown[] = [];
  const client = new EventEmitter() as EventEmitter & { query: (sql: string) => Promise<unknown> };
  let queries = 0;
  client.query = async (sql: string) => {
    queries++;
    if (queries === 2) {
      const error = new Error('Connection terminated unexpectedly');
      // The socket's error comes on its own turn, as from a terminated backend.
      setImmediate(() => client.emit('error', error));
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw error;
    }
    if (sql === 'ROLLBACK' && queries > 2)
      throw new Error('Client was closed and is not queryable');
    return { rows: [] };
  };
  const pool = {
    connect: async () =>
      Object.assign(client, { release: (error?: unknown) => released.push(error) }),
  } as unknown as Pool;
  return { pool, client: client as unknown as PoolClient & EventEmitter, released };
}

describe('poolQueryable: a connection lost inside a transaction', () => {
  it('rejects the transaction, keeps the process up, and drops the client', async () => {
    const { pool, client, released } = dyingPool();
    const db = poolQueryable(pool, false);
    const result = db.transaction((tx) => tx.query('UPDATE t SET x = 1'));
    await expect(result).rejects.toThrow('Connection terminated unexpectedly');
    expect(released).toHaveLength(1);
    expect(released[0]).toBeInstanceOf(Error);
    // Whatever the dead client emits later is still heard.
    expect(() => client.emit('error', new Error('late'))).not.toThrow();
  });

  it('leaves no listener on a healthy client it returns to the pool', async () => {
    const client = Object.assign(new EventEmitter(), {
      query: async () => ({ rows: [{ n: 1 }] }),
      release: () => {},
    });
    const pool = { connect: async () => client } as unknown as Pool;
    const rows = await poolQueryable(pool, false).transaction((tx) => tx.query('SELECT 1 AS n'));
    expect(rows).toEqual([{ n: 1 }]);
    expect(client.listenerCount('error')).toBe(0);
  });
});
