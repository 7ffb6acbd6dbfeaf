/**
 * Start-up configuration: a bad value, or an address the app can't listen on, stops the
 * process with one line naming the variable; an admin variable without its partner warns.
 */
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import {
  appLines,
  type EnvOverrides,
  type ExampleName,
  killGroup,
  type RefusedStart,
  runUntilExit,
  startExample,
} from '../harness.js';
import { expectError, expectNoLeak, request } from '../http.js';

const SHORT_SECRET = 'only-31-bytes-long-secret-value';

const CASES: Array<[string, EnvOverrides, string]> = [
  [
    'NODE_ENV=production without AUTH_SECRET',
    { NODE_ENV: 'production', AUTH_SECRET: undefined },
    'AUTH_SECRET',
  ],
  ['AUTH_SECRET shorter than 32 bytes', { AUTH_SECRET: SHORT_SECRET }, 'AUTH_SECRET'],
  ['AUTH_ACCESS_TTL=abc', { AUTH_ACCESS_TTL: 'abc' }, 'AUTH_ACCESS_TTL'],
  ['AUTH_ACCESS_TTL=0', { AUTH_ACCESS_TTL: '0' }, 'AUTH_ACCESS_TTL'],
  ['AUTH_REFRESH_TTL=-5', { AUTH_REFRESH_TTL: '-5' }, 'AUTH_REFRESH_TTL'],
  [
    'AUTH_REFRESH_TTL past any date (10000000000000)',
    { AUTH_REFRESH_TTL: '10000000000000' },
    'AUTH_REFRESH_TTL',
  ],
  ['AUTH_LOGIN_WINDOW past any date', { AUTH_LOGIN_WINDOW: '10000000000000' }, 'AUTH_LOGIN_WINDOW'],
  [
    'AUTH_ALG=EdDSA with AUTH_PRIVATE_KEY=null',
    { AUTH_ALG: 'EdDSA', AUTH_PRIVATE_KEY: 'null' },
    'AUTH_PRIVATE_KEY',
  ],
  ['AUTH_ALG=RS256', { AUTH_ALG: 'RS256' }, 'AUTH_ALG'],
  [
    'AUTH_ALG=ES256 with a AUTH_PRIVATE_KEY that is not JSON',
    { AUTH_ALG: 'ES256', AUTH_PRIVATE_KEY: 'not-json' },
    'AUTH_PRIVATE_KEY',
  ],
  // Both refused: the one line names each variable (the username's comes first).
  [
    'AUTH_ADMIN_USERNAME and AUTH_ADMIN_PASSWORD both too short',
    { AUTH_ADMIN_USERNAME: 'a', AUTH_ADMIN_PASSWORD: 'short' },
    'AUTH_ADMIN_PASSWORD',
  ],
  // Listen failures. EACCES (a port below 1024 without the privilege) is not among them: the
  // suite may run as root, which may bind any port.
  ['HOST=999.1.1.1, a name that does not resolve', { HOST: '999.1.1.1' }, 'HOST'],
  ['HOST=192.0.2.1, not an address of this machine', { HOST: '192.0.2.1' }, 'HOST'],
];

/** Exit code 1 and one line on stderr, `error: …`, naming `variable`. */
function expectRefused(result: RefusedStart, variable: string): void {
  const output = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  expect(result.listened, `it started anyway${output}`).toBe(false);
  expect(result.code, `exit code${output}`).toBe(1);
  const lines = appLines(result.stderr);
  expect(lines, `stderr${output}`).toHaveLength(1);
  expect(lines[0], `stderr${output}`).toMatch(/^error: /);
  expect(lines[0], `stderr${output}`).toContain(variable);
  expectNoLeak(result.stderr, 'stderr');
  expect(result.stderr).not.toContain(SHORT_SECRET);
  expect(result.stdout).not.toMatch(/listening on/);
}

/**
 * How long a refused start may take. The listen failures come after the embedded database
 * has started, and these cases all start at once, beside another suite's examples: on a
 * loaded 2-core machine that alone has taken over 30 s.
 */
const START_MS = 75_000;

/** Configuration-error cases; each starts its own short-lived process. */
export function configCases(name: ExampleName): void {
  for (const [title, env, variable] of CASES) {
    it.concurrent(
      `${title} → exit code 1 and one line "error: …${variable}…"`,
      async () => {
        expectRefused(await runUntilExit(name, env, START_MS, 'script'), variable);
      },
      START_MS + 15_000,
    );
  }

  it.concurrent(
    'PORT taken by another process → exit code 1 and one line "error: …PORT…"',
    async () => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = taken.address() as { port: number };
        expectRefused(await runUntilExit(name, { PORT: String(port) }, START_MS, 'script'), 'PORT');
      } finally {
        taken.close();
      }
    },
    START_MS + 15_000,
  );
}

const HALF_ADMIN: Array<[EnvOverrides, string]> = [
  [{ AUTH_ADMIN_USERNAME: 'half-admin' }, 'AUTH_ADMIN_PASSWORD'],
  [{ AUTH_ADMIN_PASSWORD: 'half-admin-password-1' }, 'AUTH_ADMIN_USERNAME'],
];

/** One admin variable without the other: the app starts, warns, and creates no admin. */
export function halfAdminCases(name: ExampleName): void {
  for (const [env, missing] of HALF_ADMIN) {
    const [set] = Object.keys(env);
    it.concurrent(
      `${set} without ${missing} → it starts, with one line "warning: …${missing}…"`,
      async () => {
        const app = await startExample(name, env, START_MS, 'script');
        try {
          const lines = appLines(app.stderr());
          expect(lines, app.stderr()).toHaveLength(1);
          expect(lines[0]).toMatch(/^warning: /);
          expect(lines[0]).toContain(missing);
          expect(app.stderr()).not.toContain('half-admin-password-1');
          // No admin was created.
          const res = await request(app.url, '/auth/login', {
            json: { username: 'half-admin', password: 'half-admin-password-1' },
          });
          expectError(res, 401, 'invalid_credentials');
        } finally {
          await app.stop('SIGTERM').catch(() => killGroup(app));
        }
      },
      START_MS + 15_000,
    );
  }
}
