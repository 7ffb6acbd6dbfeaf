/** Test helpers: a cheap auth instance and a real HTTP server on an ephemeral port. */
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Auth,
  type AuthOptions,
  argon2id,
  createAuth,
  manualClock,
  memoryStorage,
  type PasswordHasher,
} from '@auth/core';

/** A deliberately cheap hasher: tests exercise flows, not hashing cost. */
export const hasher: PasswordHasher = argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 });

/** An auth instance on a manual clock, with `admin` ⊃ `user` and an `editor` permission. */
export function makeAuth(overrides: Partial<AuthOptions> = {}): Auth {
  return createAuth({
    issuer: 'urn:test',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long' },
    storage: memoryStorage(),
    clock: manualClock(),
    password: { hasher },
    realm: 'test',
    roles: {
      admin: { inherits: ['user', 'editor'] },
      editor: { permissions: ['posts:write'] },
      user: { permissions: ['posts:read'] },
    },
    ...overrides,
  });
}

/** A listening server and its base URL. */
export interface Served {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 and an ephemeral port. */
export async function serve(app: RequestListener): Promise<Served> {
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Registers a user, optionally with extra roles, and returns an access token. */
export async function tokenFor(
  auth: Auth,
  username: string,
  roles: string[] = [],
): Promise<string> {
  const password = 'correct horse battery';
  const user = await auth.register({ username, password });
  if (roles.length > 0) await auth.users.setRoles(user.id, [...user.roles, ...roles]);
  return (await auth.login({ username, password })).access_token;
}
