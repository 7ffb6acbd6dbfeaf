/**
 * A small pool of `worker_threads` that derives password hashes off the main thread, so
 * the event loop keeps serving requests while Argon2 or scrypt runs.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AuthError } from '../../errors.js';
import type { Derive } from '../lib/derive.js';
import { maxmem } from '../lib/memory.js';
import { integerOption } from '../lib/options.js';
import type { KdfParams } from '../params.js';
import { locateWorker, type WorkerScript } from './locate.js';
import type { HashJob, HashReply } from './protocol.js';

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Number of worker threads. Default `max(1, min(2, os.availableParallelism() - 1))`,
   * leaving a core to the main thread. Range `1..64`.
   */
  poolSize?: number;
  /**
   * Most jobs waiting for a free worker (jobs running are not counted). One more is refused
   * at once with `AuthError('rate_limited')`. Default `1000`. Range `0..1000000`.
   */
  maxQueue?: number;
  /**
   * The worker script, for tests and unusual layouts. Default: `hash-worker.js` (or `.cjs`)
   * next to this module in `dist/`, else an inline worker (when running from sources).
   */
  workerFile?: string | URL;
}

/** A pool of hashing workers. */
export interface WorkerPool {
  /** Number of worker threads the pool starts at most. */
  readonly size: number;
  /**
   * Whether the workers run the built `hash-worker` file or the inline fallback; `undefined`
   * until the first job has located the script.
   */
  readonly script: WorkerScript['kind'] | undefined;
  /** Derives a key in a worker; same bytes as the pure path. See {@link Derive}. */
  readonly derive: Derive;
  /** Number of jobs waiting for a worker. */
  readonly queued: number;
  /**
   * Stops every worker. Waiting and running jobs reject with `AuthError('internal_error')`,
   * and so does any later job.
   */
  close(): Promise<void>;
}

interface PendingJob {
  readonly params: KdfParams;
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  readonly dkLen: number;
  readonly resolve: (key: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

/** The default pool size: `max(1, min(2, os.availableParallelism() - 1))`. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

/**
 * Creates a pool of hashing workers. Workers start lazily on the first jobs, at most
 * `poolSize` of them; further jobs wait in a FIFO queue of at most `maxQueue` rather than
 * oversubscribing the CPU. Idle workers are unref'd and never keep the process alive; a
 * worker is ref'd only while it runs a job, so a pending hash is never abandoned. A worker
 * that crashes fails its job and is replaced on demand.
 *
 * @param opts - size, queue bound and worker script, see {@link WorkerPoolOptions}
 * @throws AuthConfigError naming `password.poolSize` or `password.maxQueue`
 * @example
 * ```ts
 * const pool = createWorkerPool({ poolSize: 2 });
 * const key = await pool.derive(params, passwordBytes, salt, 32);
 * await pool.close();
 * ```
 */
export function createWorkerPool(opts: WorkerPoolOptions = {}): WorkerPool {
  const size = integerOption('poolSize', opts.poolSize, defaultPoolSize(), 1, 64);
  const maxQueue = integerOption('maxQueue', opts.maxQueue, 1000, 0, 1_000_000);
  let locating: Promise<WorkerScript> | undefined;
  let script: WorkerScript | undefined;
  const workers = new Set<Worker>();
  const idle: Worker[] = [];
  const running = new Map<Worker, PendingJob>();
  const queue: PendingJob[] = [];
  let sequence = 0;
  let closed = false;

  const spawn = (source: WorkerScript): Worker => {
    const worker =
      source.kind === 'file' ? new Worker(source.path) : new Worker(source.code, { eval: true });
    worker.unref();
    worker.on('message', (reply: HashReply) => settle(worker, reply));
    worker.on('error', (error) => discard(worker, error));
    worker.on('exit', (code) => discard(worker, new Error(`hash worker exited with ${code}`)));
    workers.add(worker);
    return worker;
  };

  const settle = (worker: Worker, reply: HashReply): void => {
    const job = running.get(worker);
    if (!job) return;
    running.delete(worker);
    worker.unref();
    idle.push(worker);
    if ('key' in reply) job.resolve(reply.key);
    else job.reject(new Error(reply.error));
    pump();
  };

  const discard = (worker: Worker, error: unknown): void => {
    if (!workers.delete(worker)) return;
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
    const job = running.get(worker);
    running.delete(worker);
    void worker.terminate();
    job?.reject(error);
    pump();
  };

  const pump = (): void => {
    while (queue.length > 0 && !closed && script) {
      let worker = idle.pop();
      if (!worker && workers.size < size) {
        try {
          worker = spawn(script);
        } catch (error) {
          queue.shift()!.reject(error); // e.g. a relative `workerFile`
          continue;
        }
      }
      if (!worker) return;
      const job = queue.shift()!;
      running.set(worker, job);
      worker.ref();
      const message: HashJob = {
        id: ++sequence,
        params: job.params,
        password: job.password,
        salt: job.salt,
        dkLen: job.dkLen,
        maxmem: maxmem(job.params),
      };
      worker.postMessage(message, [job.password.buffer as ArrayBuffer]);
    }
  };

  const derive: Derive = async (params, password, salt, dkLen) => {
    // Located once, on first use; later calls do not yield before queueing.
    locating ??= locateWorker(opts.workerFile);
    script ??= await locating;
    if (closed) throw closedError();
    const free = idle.length > 0 || workers.size < size;
    if (!free && queue.length >= maxQueue) {
      throw new AuthError('rate_limited', {
        description: 'too many password hashes in progress, retry later',
        retryAfter: 1,
      });
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      // Fresh buffers: the password's is transferred (moved) to the worker.
      queue.push({
        params,
        password: password.slice(),
        salt: salt.slice(),
        dkLen,
        resolve,
        reject,
      });
      pump();
    });
  };

  return {
    size,
    get script() {
      return script?.kind;
    },
    derive,
    get queued() {
      return queue.length;
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        job.password.fill(0);
        job.reject(closedError());
      }
      const all = [...workers];
      for (const worker of all) discard(worker, closedError());
      await Promise.all(all.map((worker) => worker.terminate()));
    },
  };
}

function closedError(): AuthError {
  return new AuthError('internal_error', { description: 'the hashing pool is closed' });
}
