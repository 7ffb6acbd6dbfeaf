/** `authErrorHandler`: answers `AuthError`s as the core says, leaves the rest to the app. */
import { type Auth, errorParts, isAuthError } from '@auth/core';
import type { ErrorRequestHandler } from 'express';
import { sendError } from './response.js';

/**
 * An Express error handler that answers an `AuthError` with the core's answer
 * (`auth.errorParts`): for API clients the status, JSON body and headers
 * (`WWW-Authenticate`, `Retry-After`); in browser mode, for a browser (`Accept` prefers
 * HTML) that is not signed in and `GET`s a page, `303` to the login page with `next` = the
 * URL asked for, and for its other errors an HTML page. Any other error is passed on with
 * `next(err)`. Mount it after your routes. Before answering it reads what is left of the
 * request body, up to `auth.maxBodyBytes` (a larger one is left unread and the connection
 * closed), so that a client still uploading gets the answer.
 * @example
 * ```ts
 * app.use(authErrorHandler(auth));
 * app.use((err, req, res, next) => res.status(500).json({ error: 'internal_error' }));
 * ```
 */
export function authErrorHandler(auth: Auth): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!isAuthError(error) || res.headersSent) return next(error);
    const parts = auth.browserMode
      ? auth.errorParts(error, {
          accept: req.headers.accept,
          method: req.method,
          path: req.originalUrl,
          authorization: req.headers.authorization,
        })
      : errorParts(error, auth.realm);
    return sendError(req, res, parts, auth.maxBodyBytes);
  };
}
