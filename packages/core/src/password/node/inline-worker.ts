/**
 * Internal: the worker used when the built `hash-worker` file is absent (running from the
 * TypeScript sources, e.g. under vitest). It is the JavaScript of `worker.ts` and
 * `derive-sync.ts`, evaluated with `new Worker(code, { eval: true })`, importing
 * @noble/hashes by the absolute URL resolved from this package.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Returns the source of the inline worker.
 * @param base - a path or `file:` URL inside this package, to resolve @noble/hashes from
 */
export function inlineWorkerSource(base: string): string {
  const argon2 = pathToFileURL(createRequire(base).resolve('@noble/hashes/argon2.js')).href;
  return `'use strict';
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
const noble = import(${JSON.stringify(argon2)});
async function derive(job) {
  const { params, password, salt, dkLen, maxmem } = job;
  if (params.alg === 'scrypt') {
    const { ln, r, p } = params;
    return new Uint8Array(scryptSync(password, salt, dkLen, { N: 2 ** ln, r, p, maxmem }));
  }
  const { m, t, p, version } = params;
  const argon2 = (await noble)[params.alg];
  return argon2(password, salt, { m, t, p, version, dkLen, maxmem });
}
parentPort.on('message', async (job) => {
  let reply;
  try {
    reply = { id: job.id, key: await derive(job) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  } finally {
    job.password.fill(0);
  }
  parentPort.postMessage(reply, reply.key ? [reply.key.buffer] : []);
});
`;
}
