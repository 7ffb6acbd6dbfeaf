/** Users and tokens for the tests: unique names, registration, login, token responses. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { cacheDirectives, expectJson, type HttpResponse, request } from './http.js';

/** A registered user. */
export interface TestUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
}

/** The RFC 6749 §5.1 token response. */
export interface Tokens {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly refresh_token: string;
}

/** A username no other test (or run) uses. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A password that satisfies the policy. */
export function newPassword(): string {
  return `pw-${randomBytes(9).toString('base64url')}`;
}

/** Registers a new user and checks the 201. */
export async function registerUser(url: string, prefix?: string): Promise<TestUser> {
  const username = uniqueName(prefix);
  const password = newPassword();
  const res = await request(url, '/auth/register', { json: { username, password } });
  expectJson(res, 201);
  const { user } = res.body as { user: { id: string } };
  return { id: user.id, username, password };
}

/**
 * The token response of docs/API.md: exactly `access_token`, `token_type: "Bearer"`,
 * `expires_in`, `refresh_token`, with `Cache-Control: no-store`.
 */
export function expectTokens(res: HttpResponse, expiresIn?: number): Tokens {
  expectJson(res, 200);
  expect(cacheDirectives(res), `Cache-Control of ${res.label}`).toContain('no-store');
  const body = res.body as Record<string, unknown>;
  expect(Object.keys(body).sort(), res.label).toEqual([
    'access_token',
    'expires_in',
    'refresh_token',
    'token_type',
  ]);
  expect(body.token_type).toBe('Bearer');
  expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(Number.isInteger(body.expires_in) && (body.expires_in as number) > 0).toBe(true);
  if (expiresIn !== undefined) expect(body.expires_in).toBe(expiresIn);
  // Opaque and at least 256 bits: 43 or more base64url characters at the very least.
  expect(body.refresh_token).toBeTypeOf('string');
  expect((body.refresh_token as string).length).toBeGreaterThanOrEqual(43);
  expect(body.refresh_token).not.toContain('.');
  return body as unknown as Tokens;
}

/** Logs in with JSON and checks the token response. */
export async function login(
  url: string,
  user: Pick<TestUser, 'username' | 'password'>,
): Promise<Tokens> {
  const res = await request(url, '/auth/login', {
    json: { username: user.username, password: user.password },
  });
  return expectTokens(res);
}

/** Presents a refresh token at `/auth/refresh` (JSON). */
export function refresh(url: string, refreshToken: string): Promise<HttpResponse> {
  return request(url, '/auth/refresh', { json: { refresh_token: refreshToken } });
}
