/**
 * Reporting the errors the handler answers with a 5xx (a storage failure, a bug): to the
 * `onError` option, or by default one line on stderr that names the route, the answer and
 * the error's kind, but not its message, which may quote a secret (a connection string).
 */
import { isAuthError } from '../errors.js';
import { quietly } from '../quiet.js';

/** The request an error happened on: its method and path, never its query. */
export interface ErrorRequestInfo {
  readonly method: string;
  readonly path: string;
}

/** Receives the errors the handler answers with a 5xx; may be async (its rejection is ignored). */
export type AuthErrorListener = (error: unknown, request: ErrorRequestInfo) => void | Promise<void>;

/** `TypeError`, or `StorageFailure ECONNREFUSED`: the kind of an error, without its message. */
function kindOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const name = Reflect.get(error, 'name');
  const code = Reflect.get(error, 'code');
  return [typeof name === 'string' ? name : 'Error', typeof code === 'string' ? code : '']
    .filter(Boolean)
    .join(' ');
}

/** The default listener: one line on stderr, no message, no stack. */
const logLine: AuthErrorListener = (error, { method, path }) => {
  const answer = isAuthError(error) ? `${error.status} ${error.code}` : '500 internal_error';
  const cause = isAuthError(error) ? error.cause : error;
  console.error(
    `@auth/core: ${method} ${path} answered ${answer}` +
      (cause === undefined ? '' : ` (${kindOf(cause)})`) +
      '; set the onError option to see the error',
  );
};

/**
 * Wraps `listener` (default: the stderr line) so that it never throws into the handler, nor
 * leaves a rejected promise unhandled.
 */
export function errorReporter(
  listener: AuthErrorListener | undefined,
): (error: unknown, request: ErrorRequestInfo) => void {
  return quietly(listener ?? logLine);
}
