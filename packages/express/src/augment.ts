/**
 * Types `req.auth` for every Express app that imports `@auth/express`, by declaration merging
 * into the global `Express.Request` (as `express-jwt` does).
 */
import type { Principal } from '@auth/core';

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified principal of the bearer token (or, in browser mode, of the session
       * cookie), set by `requireAuth`, `requireRole` and `requirePermission`; `undefined` on
       * routes none of them guards.
       */
      auth?: Principal;
    }
  }
}
