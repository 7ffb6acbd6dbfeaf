/**
 * The entry point: configuration from the environment (docs/API.md), the app on
 * `node:http`, and a graceful shutdown on SIGINT/SIGTERM.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerClientError,
  answerUnmetExpectation,
  continueUnlessTooLarge,
  createAuth,
  systemClock,
} from '@auth/core';
import { swaggerUiAssets } from '@auth/core/docs-assets';
import { listenError, readEnv, seedAdmin } from '@auth/core/env';
import { storageFromEnv } from '@auth/pg';
import { createApp, documentRoutes } from './app.js';

/** Prints one line to stderr and exits with code 1. */
function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

async function setUp() {
  const config = await readEnv(process.env);
  for (const w of config.warnings) console.warn(`warning: ${w}`);
  // DATABASE_URL → that PostgreSQL server; otherwise embedded PGlite in AUTH_DATA_DIR.
  const storage = await storageFromEnv(config);
  const auth = createAuth({
    ...config.options,
    storage,
    // Browser mode: login and registration pages, cookie sessions, a home page at `/`.
    browser: { secureCookies: config.cookieSecure, homePage: true },
    // GET /openapi.json, and Swagger UI at /docs from the local swagger-ui-dist package.
    docs: { title: 'Example API', assets: swaggerUiAssets(), extend: documentRoutes },
  });
  await auth.ready();
  if (config.admin) await seedAdmin(auth, config.admin);
  // Expired sessions and login counters go every 10 minutes: nothing grows without bound.
  setInterval(() => storage.prune(systemClock.now()).catch(() => {}), 600_000).unref();
  return { config, auth, storage };
}

// A stop asked for while starting, before the shutdown below is in place, is not lost: it
// runs once the storage is open, which it closes (a kill would leave its lock behind).
let stopAsked = false;
const askStop = () => {
  stopAsked = true;
};
process.on('SIGINT', askStop).on('SIGTERM', askStop);

// A bad variable, a locked data directory, an unreachable database: one line naming it.
const { config, auth, storage } = await setUp().catch((error: unknown) =>
  fail(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)),
);

// A missing Host gets the app's JSON 400 rather than Node's empty one.
const server = createServer({ requireHostHeader: false }, createApp(auth));
let closing = false;
const inFlight = new Set<ServerResponse>();
server.on('request', (_req, res: ServerResponse) => {
  if (closing) res.shouldKeepAlive = false; // answer with `Connection: close`
  inFlight.add(res);
  res.once('close', () => inFlight.delete(res));
});
server.on('error', (error) => fail(listenError(error, config)));
// A request Node's parser refuses (a bad request line or header) gets a JSON error body.
server.on('clientError', answerClientError);
// An `Expect` other than 100-continue: 417 with a JSON body too.
server.on('checkExpectation', answerUnmetExpectation);
// `Expect: 100-continue` with a declared body over the auth routes' cap: 413 at once, not a
// `100 Continue` that asks for an upload only to refuse it (RFC 9110 §10.1.1).
server.on(
  'checkContinue',
  continueUnlessTooLarge(auth, (req, res) => server.emit('request', req, res)),
);
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(`listening on http://${host}:${port}`);
});

function shutdown(): void {
  if (closing) return;
  closing = true;
  // Stop accepting; in-flight requests finish, then their connections close; idle ones close now.
  for (const res of inFlight) res.shouldKeepAlive = false;
  server.close(() => storage.close().finally(() => process.exit(0)));
  server.closeIdleConnections();
  // A client that stalls mid-request would hold the stop up forever: after 5 s its
  // connection is cut, and the shutdown goes on (exit 1 only if the storage hangs too).
  setTimeout(() => {
    console.warn('warning: cutting connections still open 5 s after the stop signal');
    server.closeAllConnections();
    setTimeout(() => process.exit(1), 5_000).unref();
  }, 5_000).unref();
}
process.on('SIGINT', shutdown).on('SIGTERM', shutdown);
process.off('SIGINT', askStop).off('SIGTERM', askStop);
if (stopAsked) shutdown();
