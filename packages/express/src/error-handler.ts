/** `authErrorHandler`: answers `AuthError`s as the core says, leaves the rest to the app. */
import { type Auth, errorParts, isAuthError } from '@auth/core';
import type { ErrorRequestHandler } from 'express';
import { sendError } from './response.js';

/**
 * An Express error handler that answers an `AuthError` with the core's status, JSON body and
 * headers (`WWW-Authenticate`, `Retry-After`); any other error is passed on with `next(err)`.
 * Mount it after your routes.
 * @example
 * ```ts
 * app.use(authErrorHandler(auth));
 * app.use((err, req, res, next) => res.status(500).json({ error: 'internal_error' }));
 * ```
 */
export function authErrorHandler(auth: Auth): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!isAuthError(error) || res.headersSent) return next(error);
    sendError(req, res, errorParts(error, auth.realm));
  };
}
