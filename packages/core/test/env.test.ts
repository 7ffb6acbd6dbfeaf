import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth.js';
import { EnvConfigError, readEnv } from '../src/env.js';
import { memoryStorage } from '../src/storage/memory.js';
import { generatePrivateJwk } from '../src/tokens/keys.js';

const SECRET = 's'.repeat(32);

async function refusal(env: Record<string, string>): Promise<EnvConfigError> {
  const error = await readEnv(env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EnvConfigError);
  return error as EnvConfigError;
}

describe('readEnv: durations', () => {
  it('refuses a lifetime or window past ten years at start-up, naming the variable', async () => {
    for (const name of [
      'AUTH_ACCESS_TTL',
      'AUTH_REFRESH_TTL',
      'AUTH_REFRESH_REUSE_GRACE',
      'AUTH_LOGIN_WINDOW',
    ]) {
      const error = await refusal({ AUTH_SECRET: SECRET, [name]: '10000000000000' });
      expect(error.message, name).toMatch(new RegExp(`^${name} must be .* up to 315360000`));
    }
    const ok = await readEnv({ AUTH_SECRET: SECRET, AUTH_REFRESH_TTL: '315360000' });
    expect(ok.options.refreshTokenTtl).toBe(315_360_000);
  });

  it('quotes a blank value as it was given', async () => {
    const error = await refusal({ AUTH_SECRET: SECRET, AUTH_ACCESS_TTL: ' ' });
    expect(error.message).toBe(
      'AUTH_ACCESS_TTL must be a positive integer up to 315360000, got " "',
    );
  });

  it('createAuth refuses the same lifetimes passed as options', () => {
    const base = { issuer: 'i', audience: 'a', keys: { alg: 'HS256', secret: SECRET } } as const;
    expect(() =>
      createAuth({ ...base, storage: memoryStorage(), refreshTokenTtl: 10_000_000_000_000 }),
    ).toThrow(/refreshTokenTtl.*at most ten years/);
  });
});

describe('readEnv: AUTH_PRIVATE_KEY', () => {
  it('refuses JSON that is not an object, naming the variable', async () => {
    for (const raw of ['null', '[]', '"key"', '42']) {
      const error = await refusal({ AUTH_ALG: 'EdDSA', AUTH_PRIVATE_KEY: raw });
      expect(error.message, raw).toBe('AUTH_PRIVATE_KEY must be a JSON object (a private JWK)');
    }
  });

  it('refuses a key whose own metadata says it is not for signing with AUTH_ALG', async () => {
    const jwk = await generatePrivateJwk('EdDSA');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ alg: 'ES256' }, /"alg" "ES256", not EdDSA/],
      [{ use: 'enc' }, /"use" "enc"/],
      [{ key_ops: ['verify'] }, /"key_ops" without "sign"/],
      [{ kid: '' }, /"kid" that is not a non-empty string/],
      [{ kid: 7 }, /"kid" that is not a non-empty string/],
    ];
    for (const [extra, message] of cases) {
      const raw = JSON.stringify({ ...jwk, ...extra });
      const error = await refusal({ AUTH_ALG: 'EdDSA', AUTH_PRIVATE_KEY: raw });
      expect(error.message).toMatch(/^AUTH_PRIVATE_KEY /);
      expect(error.message).toMatch(message);
    }
    const fine = JSON.stringify({ ...jwk, alg: 'EdDSA', use: 'sig', key_ops: ['sign'], kid: 'k1' });
    const config = await readEnv({ AUTH_ALG: 'EdDSA', AUTH_PRIVATE_KEY: fine });
    expect(config.options.keys).toMatchObject({ alg: 'EdDSA', kid: 'k1' });
  });

  it('warns that a private key is ignored when AUTH_ALG is HS256', async () => {
    const jwk = await generatePrivateJwk('EdDSA');
    const config = await readEnv({ AUTH_SECRET: SECRET, AUTH_PRIVATE_KEY: JSON.stringify(jwk) });
    expect(config.options.keys).toMatchObject({ alg: 'HS256' });
    expect(config.warnings.join('\n')).toContain('AUTH_PRIVATE_KEY is ignored: AUTH_ALG is HS256');
    expect(config.warnings.join('\n')).not.toContain(String(jwk.d));
  });

  it('warns that AUTH_SECRET is ignored when AUTH_ALG is EdDSA or ES256, without echoing it', async () => {
    for (const alg of ['EdDSA', 'ES256'] as const) {
      const config = await readEnv({ AUTH_ALG: alg, AUTH_SECRET: SECRET });
      expect(config.options.keys).toMatchObject({ alg });
      const warnings = config.warnings.join('\n');
      expect(warnings).toContain(`AUTH_SECRET is ignored: AUTH_ALG is ${alg}`);
      expect(warnings).not.toContain(SECRET);
    }
    const quiet = await readEnv({ AUTH_ALG: 'ES256' });
    expect(quiet.warnings.join('\n')).not.toContain('AUTH_SECRET is ignored');
  });

  it('AUTH_LOGIN_MAX_ATTEMPTS is at most 1000, and says so', async () => {
    const config = await readEnv({ AUTH_SECRET: SECRET, AUTH_LOGIN_MAX_ATTEMPTS: '1000' });
    expect(config.options.rateLimit).toMatchObject({ maxAttempts: 1000 });
    const error = await refusal({ AUTH_SECRET: SECRET, AUTH_LOGIN_MAX_ATTEMPTS: '1001' });
    expect(error.message).toBe(
      'AUTH_LOGIN_MAX_ATTEMPTS must be a positive integer up to 1000, got "1001"',
    );
  });

  it('AUTH_COOKIE_SECURE takes true/false, 1/0, yes/no, and names the accepted values otherwise', async () => {
    for (const [raw, secure] of [
      ['TRUE', true],
      ['yes', true],
      ['1', true],
      ['False', false],
      ['no', false],
      ['0', false],
    ] as const) {
      expect(
        (await readEnv({ AUTH_SECRET: SECRET, AUTH_COOKIE_SECURE: raw })).cookieSecure,
        raw,
      ).toBe(secure);
    }
    const error = await refusal({ AUTH_SECRET: SECRET, AUTH_COOKIE_SECURE: 'on' });
    expect(error.message).toBe(
      'AUTH_COOKIE_SECURE must be true or false (or 1/0, yes/no), got "on"',
    );
  });
});
