/** Registration: validate, hash, create atomically. */
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { randomId } from '../random.js';
import { registerSchema } from '../schemas.js';
import { displayUsername, usernameKey } from '../username.js';
import { validate } from '../validate.js';
import { type PublicUser, publicUser } from './public-user.js';

/** Input of `register`. Other fields are ignored: a client cannot give itself roles. */
export interface RegisterInput {
  username: string;
  password: string;
}

/**
 * Registers a user with the default roles.
 * @throws AuthError `invalid_request`, `username_taken`
 */
export async function register(ctx: AuthContext, input: unknown): Promise<PublicUser> {
  const { options } = ctx;
  const { username, password } = validate(
    registerSchema(options.minPasswordLength, options.maxPasswordLength),
    input,
  );
  const key = usernameKey(username);
  // Cheap early answer for the common case; the store's unique key is what guarantees it.
  if (await ctx.storage.users.findUserByUsername(key)) {
    throw new AuthError('username_taken');
  }
  const passwordHash = await ctx.hasher.hash(password);
  const now = ctx.clock.now();
  const user = await ctx.storage.users.createUser({
    id: randomId(),
    username: displayUsername(username),
    usernameKey: key,
    passwordHash,
    roles: [...options.defaultRoles],
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  ctx.emit({ type: 'register', at: now, userId: user.id, username: user.username });
  return publicUser(user);
}
