/**
 * `@auth/node`: `@auth/core` on a raw `node:http` server. `createAuthHandler` serves the
 * auth routes (and, in browser mode, the pages; with docs, the docs); `authenticate` guards
 * your own; `sendAuthError` answers their errors; `withAuth` does both for one route.
 * @packageDocumentation
 */
export { type AuthenticateOptions, authenticate } from './authenticate.js';
export { createAuthHandler, type NodeAuthHandler, type NodeAuthOptions } from './handler.js';
export { type ErrorRequest, sendAuthError } from './response.js';
export { type AuthRouteHandler, withAuth } from './with-auth.js';
