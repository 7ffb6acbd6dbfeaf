/**
 * `@auth/node`: `@auth/core` on a raw `node:http` server. `createAuthHandler` serves the
 * auth routes; `authenticate` guards your own; `sendAuthError` answers their errors.
 * @packageDocumentation
 */
export { authenticate } from './authenticate.js';
export { createAuthHandler, type NodeAuthHandler, type NodeAuthOptions } from './handler.js';
export { sendAuthError } from './response.js';
