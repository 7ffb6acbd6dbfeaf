/**
 * The answer to a request Node's HTTP parser refuses before any app sees it (its
 * `clientError` event): the same status Node would send, with a JSON error body like every
 * other error answer, where Node's own has none.
 */

/** The connection of a `clientError` event, as far as the answer needs it. */
export interface ClientErrorSocket {
  readonly writable: boolean;
  write(data: string): unknown;
  destroy(): unknown;
  /** Node's in-flight response on this connection, if any. */
  readonly _httpMessage?: { readonly headersSent?: boolean } | null;
}

/** Status, reason phrase, error code and description, by Node's error code. */
const ANSWERS: Record<string, readonly [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'invalid_request',
    'the request header fields are too large',
  ],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [
    413,
    'Payload Too Large',
    'payload_too_large',
    'the chunk extensions are too large',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'invalid_request',
    'the request was not received in time',
  ],
  HPE_INVALID_METHOD: [
    501,
    'Not Implemented',
    'invalid_request',
    'the request method is not recognised',
  ],
};
const BAD_REQUEST = [400, 'Bad Request', 'invalid_request', 'the request is malformed'] as const;

/**
 * The raw HTTP/1.1 answer (status line, headers, JSON body; the connection closes) to a
 * request Node's parser refused with the error `code`.
 */
export function clientErrorAnswer(code: unknown): string {
  const [status, reason, error, description] =
    (typeof code === 'string' && Object.hasOwn(ANSWERS, code) ? ANSWERS[code] : undefined) ??
    BAD_REQUEST;
  const body = JSON.stringify({ error, error_description: description });
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Cache-Control: no-store\r\n' +
    'Pragma: no-cache\r\n' +
    'X-Content-Type-Options: nosniff\r\n' +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * A `clientError` listener for a Node HTTP server: a request the parser refuses (a malformed
 * request line or header, an unknown method, oversized headers, a timeout) gets Node's
 * status with a JSON `{"error","error_description"}` body instead of an empty one; then the
 * connection is closed. Like Node's default, it writes nothing when a response on the same
 * connection has already begun.
 * @example
 * ```ts
 * const server = createServer(app);
 * server.on('clientError', answerClientError);
 * ```
 */
export function answerClientError(error: unknown, socket: ClientErrorSocket): void {
  if (socket.writable && !socket._httpMessage?.headersSent) {
    const code =
      typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
    socket.write(clientErrorAnswer(code));
  }
  socket.destroy();
}
