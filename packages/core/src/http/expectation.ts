/**
 * The answer to a request whose `Expect` header names anything but `100-continue` (Node's
 * `checkExpectation` event): 417 as RFC 9110 §10.1.1 has it, with a JSON error body like every
 * other error answer, where Node's own has none.
 */

/** The response of a `checkExpectation` event, as far as the answer needs it. */
export interface ExpectationResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body: string): unknown;
}

const BODY = JSON.stringify({
  error: 'invalid_request',
  error_description: 'the Expect header names an expectation this server cannot meet',
});

/**
 * A `checkExpectation` listener for a Node HTTP server: `417 Expectation Failed` with a JSON
 * `{"error","error_description"}` body. Node then reads and drops the request's body, as it
 * does for its own 417.
 * @example
 * ```ts
 * const server = createServer(app);
 * server.on('checkExpectation', answerUnmetExpectation);
 * ```
 */
export function answerUnmetExpectation(_req: unknown, res: ExpectationResponse): void {
  res.writeHead(417, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': BODY.length,
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(BODY);
}
