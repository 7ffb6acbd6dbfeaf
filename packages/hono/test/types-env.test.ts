/** `withAuth<AppEnv>` keeps the app's own bindings and variables in its handler's context. */
import { Hono } from 'hono';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { withAuth } from '../src/index.js';
import { bearer, harness, tokenFor } from './helpers.js';

type AppEnv = { Bindings: { region: string }; Variables: { requestId: string } };

describe('withAuth in an app with its own Env', () => {
  it("types and serves the app's bindings and variables beside c.var.auth", async () => {
    const { auth } = harness();
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set('requestId', 'r-1');
      await next();
    });
    app.get(
      '/me',
      withAuth<AppEnv>(auth, (c) => {
        expectTypeOf(c.env.region).toEqualTypeOf<string>();
        expectTypeOf(c.var.requestId).toEqualTypeOf<string>();
        return c.json({
          user: c.var.auth.userId,
          requestId: c.var.requestId,
          region: c.env.region,
        });
      }),
    );
    const token = await tokenFor(auth, 'envy');
    const res = await app.request('/me', { headers: bearer(token) }, { region: 'eu' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ requestId: 'r-1', region: 'eu' });
  });
});
