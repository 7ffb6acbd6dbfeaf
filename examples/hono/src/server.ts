/** Starts the example: configuration from the environment, then `@hono/node-server`. */
import { AuthConfigError, createAuth, memoryStorage } from '@auth/core';
import { readEnv, seedAdmin } from '@auth/core/env';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';

async function setUp() {
  const config = await readEnv(process.env);
  for (const w of config.warnings) console.warn(`warning: ${w}`);
  const auth = createAuth({ ...config.options, storage: memoryStorage() });
  await auth.ready();
  if (config.admin) await seedAdmin(auth, config.admin);
  return { config, auth };
}

function fail(error: unknown): never {
  // A bad variable (EnvConfigError) or option (AuthConfigError): one line naming it.
  if (error instanceof AuthConfigError) console.error(`error: ${error.message}`);
  else console.error(error);
  process.exit(1);
}

const { config, auth } = await setUp().catch(fail);

const host = config.host.includes(':') ? `[${config.host}]` : config.host;
const server = serve(
  { fetch: createApp(auth).fetch, hostname: config.host, port: config.port },
  (info) => console.log(`listening on http://${host}:${info.port}`),
);
server.once('error', (error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});

// Stop accepting, let in-flight requests finish, close keep-alive connections as soon as
// they are idle, then exit (or give up after 5 s).
function shutdown() {
  server.close(() => process.exit(0));
  if ('closeIdleConnections' in server) {
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
  }
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
