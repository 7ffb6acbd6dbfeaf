/**
 * `authenticateSync`: the same answers as `authenticate`, without a promise, whenever no
 * waiting is needed; `undefined` (never a refusal) when only `authenticate` can decide.
 */
import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth.js';
import { manualClock } from '../src/clock.js';
import { AuthError } from '../src/errors.js';
import { createAuth as createNodeAuth } from '../src/node.js';
import { memoryStorage } from '../src/storage/memory.js';
import { generatePrivateJwk } from '../src/tokens/keys.js';
import { AUDIENCE, cheapHasher, harness, ISSUER, registerAndLogin } from './helpers.js';

function thrown(run: () => unknown): AuthError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error('expected a throw');
}

describe('authenticateSync (HS256)', () => {
  it('answers as authenticate does once the keys are imported', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const header = `Bearer ${tokens.access_token}`;
    const principal = h.auth.authenticateSync(header);
    expect(principal).toEqual(await h.auth.authenticate(header));
    expect(principal?.roles).toEqual(['user']);
  });

  it('says undefined, not a refusal, before the keys are imported', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const fresh = createAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
      storage: h.storage,
      clock: h.clock,
      password: { hasher: cheapHasher() },
    });
    expect(fresh.authenticateSync(`Bearer ${tokens.access_token}`)).toBeUndefined();
    await fresh.ready();
    expect(fresh.authenticateSync(`Bearer ${tokens.access_token}`)?.userId).toBeDefined();
  });

  it('throws the same AuthErrors synchronously', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    await h.auth.ready();
    expect(thrown(() => h.auth.authenticateSync(undefined)).code).toBe('unauthorized');
    expect(thrown(() => h.auth.authenticateSync('Basic abc')).code).toBe('unauthorized');
    const garbage = thrown(() => h.auth.authenticateSync('Bearer a.b.c'));
    expect(garbage.code).toBe('invalid_token');
    const tampered = `${tokens.access_token.slice(0, -4)}AAAA`;
    const refusal = thrown(() => h.auth.authenticateSync(`Bearer ${tampered}`));
    const asynchronously = await h.auth.authenticate(`Bearer ${tampered}`).catch((e) => e);
    expect([refusal.code, refusal.message]).toEqual([asynchronously.code, asynchronously.message]);
    expect(thrown(() => h.auth.authenticateSync(`Bearer ${'a'.repeat(9000)}`)).message).toMatch(
      /too large/,
    );
  });

  it('refuses a token that is not a compact JWS as malformed, b64token or not', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    await h.auth.ready();
    const good = tokens.access_token;
    for (const token of [
      'abc~def+/==', // a b64token, not a JWS
      `${good.slice(0, -1)}=`,
      `${good}.x`,
      'a b',
      `${good.slice(0, 10)}\u00e9${good.slice(11)}`,
      `${good.slice(0, 10)}%${good.slice(11)}`,
    ]) {
      for (const header of [`Bearer ${token}`, `bearer   ${token}  `]) {
        const refusal = thrown(() => h.auth.authenticateSync(header));
        expect([refusal.code, refusal.message], header).toEqual([
          'invalid_token',
          'malformed token',
        ]);
        const asynchronously = await h.auth.authenticate(header).catch((e) => e);
        expect([asynchronously.code, asynchronously.message]).toEqual([
          refusal.code,
          refusal.message,
        ]);
      }
    }
    // The good token is still accepted, so the refusals above were for the characters.
    expect(h.auth.authenticateSync(`Bearer ${good}`)?.userId).toBeDefined();
  });

  it('leaves a request without the header to the session cookies in browser mode', async () => {
    const h = harness({ browser: { secureCookies: false } });
    const { tokens } = await registerAndLogin(h);
    await h.auth.ready();
    expect(h.auth.authenticateSync(undefined)).toBeUndefined();
    expect(h.auth.authenticateSync('')).toBeUndefined();
    expect(h.auth.authenticateSync(`Bearer ${tokens.access_token}`)?.userId).toBeDefined();
    expect(thrown(() => h.auth.authenticateSync('Bearer a.b.c')).code).toBe('invalid_token');
  });

  it('refuses a cached token once it expires by the clock', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const header = `Bearer ${tokens.access_token}`;
    expect(h.auth.authenticateSync(header)).toBeDefined();
    h.clock.advance((tokens.expires_in + 60) * 1000);
    expect(thrown(() => h.auth.authenticateSync(header)).code).toBe('token_expired');
  });
});

describe('authenticateSync (EdDSA, ES256)', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    const options = async () => ({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: { alg, privateKey: await generatePrivateJwk(alg) },
      storage: memoryStorage(),
      clock: manualClock(),
      password: { hasher: cheapHasher() },
    });
    const login = async (auth: ReturnType<typeof createAuth>) => {
      await auth.register({ username: 'bob', password: 'password-123' });
      return `Bearer ${(await auth.login({ username: 'bob', password: 'password-123' })).access_token}`;
    };

    it(`${alg}, default entry: undefined on a cache miss, the principal on a hit`, async () => {
      const auth = createAuth(await options());
      const header = await login(auth);
      expect(auth.authenticateSync(header)).toBeUndefined();
      const principal = await auth.authenticate(header);
      expect(auth.authenticateSync(header)).toBe(principal);
      // A refusal it cannot decide synchronously is left to authenticate too.
      expect(auth.authenticateSync(`${header.slice(0, -4)}AAAA`)).toBeUndefined();
    });

    it(`${alg}, node entry: verified with node:crypto, no promise needed`, async () => {
      const auth = createNodeAuth(await options());
      const header = await login(auth);
      const principal = auth.authenticateSync(header);
      expect(principal?.userId).toBeDefined();
      expect(principal).toEqual(await auth.authenticate(header));
      const tampered = `${header.slice(0, -4)}AAAA`;
      expect(thrown(() => auth.authenticateSync(tampered)).message).toMatch(/signature/);
    });
  }
});
