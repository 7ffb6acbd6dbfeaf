import { describe, expect, it } from 'vitest';
import { keyedTurns } from '../src/flows/turns.js';

describe('keyedTurns', () => {
  it('gives one turn at a time per key, in arrival order, and other keys their own', async () => {
    const turns = keyedTurns();
    const order: string[] = [];
    const first = await turns.take('a');
    const second = turns.take('a').then((done) => {
      order.push('a2');
      return done;
    });
    const other = await turns.take('b');
    order.push('b1');
    await Promise.resolve();
    expect(order).toEqual(['b1']);
    first();
    first(); // a second call changes nothing
    (await second)();
    other();
    expect(order).toEqual(['b1', 'a2']);
    // Every queue is gone once its turns are done: the next take is immediate.
    const again = await turns.take('a');
    again();
  });
});
