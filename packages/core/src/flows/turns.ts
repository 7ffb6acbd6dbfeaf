/**
 * One at a time per key, in arrival order: logins for one username from one client in one
 * process, so that each sees the outcome of the one before (a burst of right passwords all
 * get in, one of wrong ones is refused past the limit). A key has an entry only while a
 * turn is held or awaited, so the map is as large as the requests in flight.
 */

/** Queues of turns by key. */
export interface KeyedTurns {
  /** Resolves when it is the caller's turn for `key`; call the returned function when done. */
  take(key: string): Promise<() => void>;
}

/** Builds an empty set of queues. */
export function keyedTurns(): KeyedTurns {
  const queues = new Map<string, Array<() => void>>();
  const release = (key: string) => {
    const queue = queues.get(key);
    queue?.shift();
    const next = queue?.[0];
    if (next) next();
    else queues.delete(key);
  };
  return {
    take(key) {
      return new Promise((resolve) => {
        let done = false;
        const turn = () =>
          resolve(() => {
            if (done) return;
            done = true;
            release(key);
          });
        const queue = queues.get(key);
        if (queue) queue.push(turn);
        else {
          queues.set(key, [turn]);
          turn();
        }
      });
    },
  };
}
