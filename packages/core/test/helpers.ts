import { createAuth } from '../src/auth.js';
import { type ManualClock, manualClock } from '../src/clock.js';
import type { AuthOptions } from '../src/config.js';
import type { AuthEvent } from '../src/events.js';
import { argon2id } from '../src/password/argon2id.js';
import { memoryStorage } from '../src/storage/memory.js';

export const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';
export const ISSUER = 'urn:test:issuer';
export const AUDIENCE = 'urn:test:api';

/** A cheap but real argon2id, so tests that are not about hashing stay fast. */
export const cheapHasher = () => argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 });

export interface Harness {
  auth: ReturnType<typeof createAuth>;
  clock: ManualClock;
  events: AuthEvent[];
  storage: ReturnType<typeof memoryStorage>;
}

export function harness(overrides: Partial<AuthOptions> = {}): Harness {
  const clock = manualClock();
  const events: AuthEvent[] = [];
  const storage = memoryStorage();
  const auth = createAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { alg: 'HS256', secret: SECRET },
    storage,
    clock,
    password: { hasher: cheapHasher() },
    roles: {
      admin: { inherits: ['user'], permissions: ['users:write'] },
      user: { permissions: ['profile:read'] },
    },
    onEvent: (e) => {
      events.push(e);
    },
    ...overrides,
  });
  return { auth, clock, events, storage };
}

export const BASE = 'http://auth.test';

export function jsonRequest(path: string, body: unknown, init: RequestInit = {}): Request {
  return new Request(BASE + path, {
    method: 'POST',
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
    body: JSON.stringify(body),
  });
}

export function formRequest(
  path: string,
  fields: Record<string, string>,
  init: RequestInit = {},
): Request {
  return new Request(BASE + path, {
    method: 'POST',
    ...init,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(init.headers as Record<string, string> | undefined),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

export function getRequest(path: string, headers: Record<string, string> = {}): Request {
  return new Request(BASE + path, { headers });
}

export async function registerAndLogin(
  h: Harness,
  username = 'alice',
  password = 'correct horse battery',
) {
  const user = await h.auth.register({ username, password });
  const tokens = await h.auth.login({ username, password }, { clientAddress: '198.51.100.1' });
  return { user, tokens, password };
}
