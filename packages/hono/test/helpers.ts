import {
  type Auth,
  type AuthEvent,
  argon2id,
  createAuth,
  type ManualClock,
  manualClock,
  memoryStorage,
} from '@auth/core';

export interface Harness {
  auth: Auth;
  clock: ManualClock;
  events: AuthEvent[];
}

/** An auth instance with a cheap hasher, a manual clock and a permission model. */
export function harness(): Harness {
  const clock = manualClock();
  const events: AuthEvent[] = [];
  const auth = createAuth({
    issuer: 'urn:test:issuer',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
    storage: memoryStorage(),
    clock,
    password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
    roles: {
      admin: { inherits: ['user'], permissions: ['users:write'] },
      user: { permissions: ['profile:read'] },
    },
    onEvent: (event) => {
      events.push(event);
    },
  });
  return { auth, clock, events };
}

/** Registers a user (optionally with roles) and returns an access token. */
export async function tokenFor(auth: Auth, username: string, roles?: string[]): Promise<string> {
  const password = 'correct horse battery staple';
  const user = await auth.register({ username, password });
  if (roles) await auth.users.setRoles(user.id, roles);
  const { access_token } = await auth.login({ username, password });
  return access_token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
