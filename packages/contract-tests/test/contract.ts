/**
 * The one HTTP contract suite of docs/API.md. Each `*.test.ts` calls
 * {@link contractSuite} with an example's name; the suite starts that example as a user
 * does and checks every route, status, body and header of the contract.
 */
import { describe, it } from 'vitest';
import { ES256_ENV, es256Cases } from './cases/asymmetric.js';
import { basicCases } from './cases/basics.js';
import { bearerCases } from './cases/bearer.js';
import { bodyCases } from './cases/bodies.js';
import { browserCases, secureCookieCases, strictBrowserCases } from './cases/browser.js';
import { configCases, halfAdminCases } from './cases/config.js';
import {
  expectListeningLine,
  noSecretCases,
  repeatedSignalCases,
  restartCases,
  sigintCase,
  stalledClientCases,
} from './cases/lifecycle.js';
import { loginCases } from './cases/login.js';
import { logoutCases } from './cases/logout.js';
import { logCases } from './cases/logs.js';
import { methodCases } from './cases/methods.js';
import { refreshCases } from './cases/refresh.js';
import { registerCases } from './cases/register.js';
import { STRICT_ENV, strictCases } from './cases/strict.js';
import { tokenEndpointCases } from './cases/token-endpoint.js';
import { killLeftoversAfterAll, useExample, useSession } from './fixture.js';
import { ADMIN, type ExampleName } from './harness.js';

/** Registers the whole contract suite for `examples/<name>`. */
export function contractSuite(name: ExampleName): void {
  killLeftoversAfterAll();

  describe(`examples/${name}`, () => {
    describe('default configuration (one shared instance)', () => {
      const main = useExample(name, {
        AUTH_ADMIN_USERNAME: ADMIN.username,
        AUTH_ADMIN_PASSWORD: ADMIN.password,
      });
      const session = useSession(main);

      it('prints exactly one "listening on http://127.0.0.1:<port>" line', () => {
        expectListeningLine(main);
      });
      describe('GET /ping, unknown routes, JWKS', () => basicCases(main));
      describe('POST /auth/register', () => registerCases(main));
      describe('POST /auth/login', () => loginCases(main, session));
      describe('bearer authentication', () => bearerCases(main, session));
      describe('methods: 405 with Allow, HEAD', () => methodCases(main, session));
      describe('POST /auth/refresh', () => refreshCases(main));
      describe('POST /auth/logout', () => logoutCases(main));
      describe('POST /auth/token', () => tokenEndpointCases(main));
      describe('request bodies', () => bodyCases(main));
      describe('browser mode and docs', () => browserCases(main));
      describe('logs', () => logCases(main, session));
      describe('shutdown', () => sigintCase(main));
    });

    describe('AUTH_ACCESS_TTL=1, AUTH_REFRESH_REUSE_GRACE=0, AUTH_LOGIN_MAX_ATTEMPTS=3, AUTH_LOGIN_WINDOW=8', () => {
      const strict = useExample(name, STRICT_ENV, 'script');
      strictCases(strict);
      describe('browser mode', () => strictBrowserCases(strict));
    });

    describe('AUTH_ALG=ES256 with AUTH_PRIVATE_KEY, AUTH_ISSUER, AUTH_AUDIENCE, AUTH_COOKIE_SECURE=true', () => {
      const es256 = useExample(name, ES256_ENV, 'script');
      es256Cases(es256);
      describe('browser mode', () => secureCookieCases(es256));
    });

    describe('without AUTH_SECRET', () => {
      noSecretCases(useExample(name, { AUTH_SECRET: undefined }, 'script'));
    });

    describe('a second signal during the shutdown', () => repeatedSignalCases(name));

    describe('a client stalled mid-request during the shutdown', () => stalledClientCases(name));

    describe('restart with the same AUTH_DATA_DIR', () => restartCases(name));

    describe('bad configuration refuses to start', () => configCases(name));

    describe('one admin variable without the other', () => halfAdminCases(name));
  });
}
