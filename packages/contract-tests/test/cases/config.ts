/** Bad configuration: the process refuses to start with one line naming the variable. */
import { expect, it } from 'vitest';
import { appLines, type EnvOverrides, type ExampleName, runUntilExit } from '../harness.js';
import { expectNoLeak } from '../http.js';

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
  ['AUTH_ALG=RS256', { AUTH_ALG: 'RS256' }, 'AUTH_ALG'],
  [
    'AUTH_ALG=ES256 with a AUTH_PRIVATE_KEY that is not JSON',
    { AUTH_ALG: 'ES256', AUTH_PRIVATE_KEY: 'not-json' },
    'AUTH_PRIVATE_KEY',
  ],
];

/** Configuration-error cases; each starts its own short-lived process. */
export function configCases(name: ExampleName): void {
  for (const [title, env, variable] of CASES) {
    it.concurrent(`${title} → exit code 1 and one line "error: …${variable}…"`, async () => {
      const result = await runUntilExit(name, env);
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
    });
  }
}
