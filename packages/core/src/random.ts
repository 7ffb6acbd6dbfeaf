/** Random identifiers and tokens from Web Crypto. */
import { base64url } from 'jose';

/** A random, URL-safe id of `bytes` random bytes (default 16 = 128 bits). */
export function randomId(bytes = 16): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}
