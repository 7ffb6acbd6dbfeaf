/** Reading the unread rest of a refused request's body, so that the answer reaches the client. */
import type { IncomingMessage } from 'node:http';

/**
 * Reads and discards the rest of `req`'s body, at most `max` bytes. A client still uploading
 * when the answer comes may lose it if the server closes the connection on unread input, so
 * a refusal first reads what is left of a body of allowed size. Resolves `true` once the body
 * has ended (the connection may stay open), `false` for a body declared or found larger than
 * `max`, or a broken one: the rest stays unread and the answer must close the connection.
 */
export function drainBody(req: IncomingMessage, max: number): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  if (req.destroyed || Number(req.headers['content-length']) > max) return Promise.resolve(false);
  return new Promise((resolve) => {
    let size = 0;
    const settle = (ended: boolean) => {
      req.off('data', onData).off('end', onEnd).off('close', onStop).off('error', onStop);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) settle(false);
    };
    const onEnd = () => settle(true);
    const onStop = () => settle(req.complete);
    req.on('data', onData).once('end', onEnd).once('close', onStop).once('error', onStop);
    req.resume();
  });
}
