/** Starts the example: configuration from the environment, then `@hono/node-server`. */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthError,
  answerClientError,
  answerUnmetExpectation,
  continueUnlessTooLarge,
  createAuth,
  systemClock,
} from '@auth/core';
import { swaggerUiAssets } from '@auth/core/docs-assets';
import { listenError, readEnv, seedAdmin } from '@auth/core/env';
import { requestErrorHandler } from '@auth/hono';
import { storageFromEnv } from '@auth/pg';
import { getRequestListener } from '@hono/node-server';
import { createApp, documentRoutes } from './app.js';

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

function fail(error: unknown): never {
  // A bad variable, a locked data directory, an unreachable database: one line naming it.
  console.error(`error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(1);
}

// A stop asked for while starting, before the shutdown below is in place, is not lost: it
// runs once the storage is open, which it closes (a kill would leave its lock behind).
let stopAsked = false;
const askStop = () => {
  stopAsked = true;
};
process.on('SIGINT', askStop).on('SIGTERM', askStop);

const { config, auth, storage } = await setUp().catch(fail);

const host = config.host.includes(':') ? `[${config.host}]` : config.host;
const listener = getRequestListener(createApp(auth).fetch, {
  hostname: config.host,
  // A request @hono/node-server can't read (a malformed Host, say) gets a JSON 400.
  errorHandler: requestErrorHandler(auth),
});
// A missing Host gets a JSON 400 rather than Node's empty one.
const server = createServer({ requireHostHeader: false }, (req, res) => {
  // Host names are case-insensitive (RFC 3986 §3.2.2), but @hono/node-server refuses one in
  // capitals that has a port (`LOCALHOST:3000`): it gets the lowercase form, as URLs do.
  const { host } = req.headers;
  if (host !== undefined) req.headers.host = host.toLowerCase();
  // The asterisk form (`OPTIONS *`, RFC 9112 §3.2.4) names no route of this app: the same 404
  // as on the other examples, where @hono/node-server can't make a URL of it at all.
  if (req.url === '*') {
    const { status, headers, body } = auth.errorParts(new AuthError('not_found'));
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
    return;
  }
  return listener(req, res);
});
server.once('error', (error) => fail(listenError(error, config)));
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
  console.log(`listening on http://${host}:${port}`);
});

// Stop accepting, let in-flight requests finish (answered with `Connection: close`, RFC 9112
// §9.6), close keep-alive connections as soon as they are idle, then exit (or give up after
// 5 s). The handlers stay: a signal that comes again during the shutdown (`pnpm start`
// stopped by signalling its process group delivers SIGTERM twice) must find one, or Node's
// default action kills the process.
let closing = false;
const inFlight = new Set<ServerResponse>();
server.on('request', (_req, res: ServerResponse) => {
  if (closing) res.shouldKeepAlive = false;
  inFlight.add(res);
  res.once('close', () => inFlight.delete(res));
});
function shutdown() {
  if (closing) return;
  closing = true;
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
