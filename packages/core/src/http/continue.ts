/**
 * The answer to `Expect: 100-continue` (Node's `checkContinue` event). RFC 9110 §10.1.1: a
 * server that can tell its final answer from the request line and headers alone sends it at
 * once instead of `100 Continue`. A declared body over the auth routes' cap is such a case:
 * asking the client to upload it only to answer `413` wastes the upload.
 */
import { AuthError } from '../errors.js';
import { requestTarget } from './request-target.js';
import { errorParts } from './respond.js';

/** What the listener reads of a request. */
export interface ContinueRequest {
  readonly url?: string | undefined;
  readonly headers: { readonly 'content-length'?: string | undefined };
}

/** What the listener calls on a response. */
export interface ContinueResponse {
  writeContinue(): unknown;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body: string): unknown;
}

/** What the listener needs of an auth instance. */
export interface ContinueAuth {
  handles(pathname: string): boolean;
  readonly maxBodyBytes: number;
  readonly realm: string;
}

function pathname(target: string | undefined): string | undefined {
  const path = requestTarget(target ?? '')?.path;
  if (path === undefined || !URL.canParse(`http://localhost${path}`)) return undefined;
  return new URL(`http://localhost${path}`).pathname;
}

/**
 * A `checkContinue` listener for a Node HTTP server. A request to one of `auth`'s routes
 * whose `Content-Length` exceeds `auth.maxBodyBytes` gets the core's `413` at once (the
 * connection then closes, the body unread); every other request gets `100 Continue` and goes
 * on to `serve` — usually `(req, res) => server.emit('request', req, res)`, as Node does
 * without a listener.
 * @example
 * ```ts
 * server.on('checkContinue', continueUnlessTooLarge(auth, (req, res) => server.emit('request', req, res)));
 * ```
 */
export function continueUnlessTooLarge<Req extends ContinueRequest, Res extends ContinueResponse>(
  auth: ContinueAuth,
  serve: (req: Req, res: Res) => void,
): (req: Req, res: Res) => void {
  return (req, res) => {
    const length = req.headers['content-length'];
    const path = pathname(req.url);
    const tooLarge =
      length !== undefined && /^\d+$/.test(length) && Number(length) > auth.maxBodyBytes;
    if (!tooLarge || path === undefined || !auth.handles(path)) {
      res.writeContinue();
      serve(req, res);
      return;
    }
    const { status, headers, body } = errorParts(new AuthError('payload_too_large'), auth.realm);
    const bytes = new TextEncoder().encode(body).byteLength;
    res.writeHead(status, { ...headers, 'content-length': bytes, connection: 'close' });
    res.end(body);
  };
}
