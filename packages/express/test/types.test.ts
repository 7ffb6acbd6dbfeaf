/** Type-level checks: they matter under `tsc` (the package's typecheck), and pass at run time. */
import type { Principal } from '@auth/core';
import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuthRouterOptions,
  authErrorHandler,
  authRouter,
  requireAuth,
  requirePermission,
  requireRole,
} from '../src/index.js';

describe('types', () => {
  it('types req.auth as Principal | undefined by declaration merging', () => {
    const handler: RequestHandler = (req, res) => {
      expectTypeOf(req.auth).toEqualTypeOf<Principal | undefined>();
      res.json({ id: req.auth?.userId });
    };
    expectTypeOf(handler).toBeFunction();
  });

  it('exports Express-typed middleware', () => {
    expectTypeOf(authRouter).returns.toEqualTypeOf<Router>();
    expectTypeOf(requireAuth).returns.toEqualTypeOf<RequestHandler>();
    expectTypeOf(requireRole).returns.toEqualTypeOf<RequestHandler>();
    expectTypeOf(requirePermission).returns.toEqualTypeOf<RequestHandler>();
    expectTypeOf(authErrorHandler).returns.toEqualTypeOf<ErrorRequestHandler>();
    expectTypeOf<AuthRouterOptions['clientAddress']>().toEqualTypeOf<
      ((req: import('express').Request) => string | undefined) | undefined
    >();
  });
});
