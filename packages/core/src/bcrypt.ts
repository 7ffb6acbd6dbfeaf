/**
 * `@auth/core/bcrypt`: verifies bcrypt hashes (`$2a$`, `$2b$`, `$2y$`) of users imported from
 * passlib, bcrypt or PHP apps, with the pure-JS `bcryptjs` (an optional peer dependency, so
 * the default entry keeps its three dependencies). Read only: a successful login rehashes to
 * argon2id.
 * @packageDocumentation
 */
import bcrypt from 'bcryptjs';
import { AuthError } from './errors.js';
import { encodePassword } from './password/length.js';
import type { HashVerifier } from './password/scheme.js';

/** Highest bcrypt cost accepted (2^15 rounds); costlier stored hashes are refused unread. */
export const BCRYPT_MAX_COST = 15;

const SHAPE = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/**
 * A verifier of bcrypt hashes, for `createAuth({ password: { verifiers: [bcryptVerifier()] } })`.
 * bcrypt reads at most 72 bytes of a password, as every bcrypt does.
 * @example
 * ```ts
 * import { bcryptVerifier } from '@auth/core/bcrypt';
 * const auth = createAuth({ …, password: { verifiers: [bcryptVerifier()] } });
 * ```
 */
export function bcryptVerifier(): HashVerifier {
  return {
    ids: ['2a', '2b', '2y'],
    supports: (hash) => typeof hash === 'string' && /^\$2[aby]\$/.test(hash),
    async verify(hash, password) {
      const match = SHAPE.exec(hash);
      const cost = match ? Number(match[1]) : Number.NaN;
      if (!match || cost < 4 || cost > BCRYPT_MAX_COST) {
        throw new AuthError('unsupported_hash', { description: 'malformed bcrypt hash' });
      }
      encodePassword(password).fill(0); // the length limit, before any work
      // bcryptjs reads $2y$ as $2b$: they are the same algorithm.
      return bcrypt.compare(password, hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash);
    },
  };
}
