/**
 * `seedAdmin` (AUTH_ADMIN_USERNAME / AUTH_ADMIN_PASSWORD): the admin exists with the role
 * and the operator's password, and nobody who held the name before keeps a way in.
 */
import { describe, expect, it } from 'vitest';
import { EnvConfigError, seedAdmin } from '../src/env.js';
import { AuthError } from '../src/errors.js';
import { harness } from './helpers.js';

const OPERATOR = { username: 'admin', password: 'operator-password-1' };

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

describe('seedAdmin', () => {
  it('creates the admin when the name is free', async () => {
    const h = harness();
    await seedAdmin(h.auth, OPERATOR);
    const tokens = await h.auth.login(OPERATOR);
    const principal = await h.auth.authenticate(`Bearer ${tokens.access_token}`);
    expect(principal.roles).toContain('admin');
  });

  it('takes over a self-registered user of that name without leaving it a session', async () => {
    const h = harness();
    const squatter = { username: 'Admin', password: 'squatter-password' };
    const registered = await h.auth.register(squatter);
    const stolen = await h.auth.login(squatter);
    await seedAdmin(h.auth, OPERATOR);

    // The squatter's refresh token would otherwise refresh into admin tokens.
    expect(await code(h.auth.refresh(stolen.refresh_token))).toBe('invalid_grant');
    expect(await code(h.auth.login(squatter))).toBe('invalid_credentials');
    const tokens = await h.auth.login(OPERATOR);
    const principal = await h.auth.authenticate(`Bearer ${tokens.access_token}`);
    expect(principal.userId).toBe(registered.id);
    expect(principal.roles).toEqual(expect.arrayContaining(['user', 'admin']));
  });

  it("resets an existing admin's password and revokes the sessions of the old one", async () => {
    const h = harness();
    await seedAdmin(h.auth, { username: 'admin', password: 'first-password-1' });
    const session = await h.auth.login({ username: 'admin', password: 'first-password-1' });
    await seedAdmin(h.auth, OPERATOR);
    expect(await code(h.auth.login({ username: 'admin', password: 'first-password-1' }))).toBe(
      'invalid_credentials',
    );
    // Whoever signed in with the old password (it may have leaked) is signed out.
    expect(await code(h.auth.refresh(session.refresh_token))).toBe('invalid_grant');
    await expect(h.auth.login(OPERATOR)).resolves.toHaveProperty('access_token');
  });

  it("keeps the admin's sessions and hash on a restart with the same password", async () => {
    const h = harness();
    await seedAdmin(h.auth, OPERATOR);
    const session = await h.auth.login(OPERATOR);
    const before = await h.storage.users.findUserByUsername('admin');
    await seedAdmin(h.auth, OPERATOR);
    expect((await h.storage.users.findUserByUsername('admin'))?.passwordHash).toBe(
      before?.passwordHash,
    );
    await expect(h.auth.refresh(session.refresh_token)).resolves.toHaveProperty('access_token');
  });

  it('names the variable of a value the policy refuses', async () => {
    const h = harness();
    const short = seedAdmin(h.auth, { username: 'admin', password: 'short' });
    await expect(short).rejects.toBeInstanceOf(EnvConfigError);
    await expect(short).rejects.toThrow(/AUTH_ADMIN_PASSWORD/);
    await expect(seedAdmin(h.auth, { username: 'a', password: 'long-enough-1' })).rejects.toThrow(
      /AUTH_ADMIN_USERNAME/,
    );
  });

  it('names each variable when both are refused, each problem under its own', async () => {
    const h = harness();
    const both = seedAdmin(h.auth, { username: 'a', password: 'short' });
    await expect(both).rejects.toBeInstanceOf(EnvConfigError);
    await expect(both).rejects.toThrow(
      /^AUTH_ADMIN_USERNAME username must [^;]*; AUTH_ADMIN_PASSWORD password must /,
    );
    expect(await h.auth.users.findByUsername('a')).toBeNull();
  });
});
