/**
 * Property-based tests of everything that parses client input. Fixed seed and bounded runs in
 * `pnpm test`; a longer run: `pnpm --filter @auth/core fuzz` (FC_RUNS=20000, or set FC_SEED).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../src/errors.js';
import { parseBearer } from '../src/http/bearer.js';
import { readFields } from '../src/http/body.js';
import { usernameKey } from '../src/username.js';
import { BASE, harness, SECRET } from './helpers.js';

const runs = Number(process.env.FC_RUNS ?? 300);
const seed = Number(process.env.FC_SEED ?? 20261122);
const params = { numRuns: runs, seed };

function authErrorOrValue(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
  }
}

const headerish = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc
    .tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', ''), fc.string())
    .map(([s, t]) => `${s} ${t}`),
);

describe('fuzz: parseBearer', () => {
  it('returns a token or null, or throws AuthError', () => {
    fc.assert(
      fc.property(headerish, (header) => {
        authErrorOrValue(() => {
          const token = parseBearer(header);
          if (token !== null) expect(token).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
        });
      }),
      params,
    );
  });
});

describe('fuzz: body readers', () => {
  const contentTypes = fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'application/json; charset=utf-8',
    'text/plain',
    'multipart/form-data',
    '',
  );
  it('parse any bytes into a prototype-free record or throw AuthError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), contentTypes, async (bytes, type) => {
        const request = new Request(`${BASE}/x`, {
          method: 'POST',
          headers: type ? { 'content-type': type } : {},
          body: bytes,
        });
        try {
          const fields = await readFields(request, 200);
          expect(Object.getPrototypeOf(fields)).toBeNull();
        } catch (error) {
          expect(error).toBeInstanceOf(AuthError);
          expect((error as AuthError).status).toBeLessThan(500);
        }
      }),
      params,
    );
  });

  it('parse any JSON object, with hostile keys, without polluting prototypes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.string()),
          fc.jsonValue(),
        ),
        async (value) => {
          const text = JSON.stringify(value).replace('"__proto__x"', '"__proto__"');
          const request = new Request(`${BASE}/x`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: text,
          });
          await readFields(request, 65536).catch((e) => expect(e).toBeInstanceOf(AuthError));
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.prototype).not.toHaveProperty('roles');
        },
      ),
      params,
    );
  });
});

describe('fuzz: username canonicalisation', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(usernameKey(usernameKey(s))).toBe(usernameKey(s));
      }),
      { ...params, numRuns: runs * 3 },
    );
  });
});

describe('fuzz: token verification and the handler', () => {
  const h = harness();
  const ready = (async () => {
    await h.auth.register({ username: 'victim', password: 'victim-password' });
    return h.auth.login(
      { username: 'victim', password: 'victim-password' },
      { clientAddress: '192.0.2.77' },
    );
  })();

  it('any string is refused with an AuthError, never anything else', async () => {
    const { access_token } = await ready;
    const mutated = fc
      .tuple(fc.nat({ max: access_token.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
      .map(([i, s]) => access_token.slice(0, i) + s + access_token.slice(i + s.length));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), mutated), async (token) => {
        try {
          const principal = await h.auth.verifyAccessToken(token);
          // Only the genuine token (or an equivalent encoding of it) may verify.
          expect(principal.userId).toBe((await h.auth.verifyAccessToken(access_token)).userId);
        } catch (error) {
          expect(error).toBeInstanceOf(AuthError);
          expect((error as AuthError).code).toMatch(/^(invalid_token|token_expired)$/);
        }
      }),
      params,
    );
  });

  it('no body makes a response reveal a hash, a token, a stack trace or the secret', async () => {
    const tokens = await ready;
    const stored = await h.storage.users.findUserByUsername('victim');
    const forbidden = [
      stored!.passwordHash,
      tokens.refresh_token,
      tokens.access_token,
      SECRET,
      'victim-password',
    ];
    const paths = fc.constantFrom(
      '/auth/register',
      '/auth/login',
      '/auth/token',
      '/auth/refresh',
      '/auth/logout',
    );
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({ username: fc.oneof(fc.string(), fc.constant('victim')), password: fc.string() })
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(
        paths,
        bodies,
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
        async (path, body, type) => {
          const response = await h.auth.handler(
            new Request(BASE + path, { method: 'POST', headers: { 'content-type': type }, body }),
            { clientAddress: '198.51.100.200' },
          );
          expect(response.status).toBeLessThan(500);
          const text = await response.text();
          for (const secret of forbidden) expect(text).not.toContain(secret);
          expect(text).not.toMatch(/\bat .+:\d+:\d+/);
        },
      ),
      { ...params, numRuns: Math.min(runs, 150) },
    );
  });
});
