/**
 * The hashing worker, built to `dist/hash-worker.js` and `dist/hash-worker.cjs`. It runs one
 * {@link HashJob} at a time and answers with a {@link HashReply}.
 */
import { parentPort } from 'node:worker_threads';
import { deriveSync } from './derive-sync.js';
import type { HashJob, HashReply } from './protocol.js';

parentPort?.on('message', (job: HashJob) => {
  let reply: HashReply;
  try {
    reply = { id: job.id, key: deriveSync(job) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  } finally {
    job.password.fill(0);
  }
  parentPort?.postMessage(reply, 'key' in reply ? [reply.key.buffer as ArrayBuffer] : []);
});
