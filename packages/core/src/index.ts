/**
 * `@auth/core`: runtime-agnostic authentication. Passwords (argon2id in PHC strings), JWT
 * access tokens, rotating refresh tokens, roles, and a Fetch handler for the auth routes.
 * This entry imports no `node:` module; on Node the `node` export condition adds a hashing
 * worker pool.
 * @packageDocumentation
 */
export { assertAuthInstance, assertGuard, meantForAuth, pathsOutside } from './adapter-checks.js';
export { type Auth, type AuthPaths, createAuth } from './auth.js';
export {
  type Clock,
  clockDate,
  clockSeconds,
  type ManualClock,
  manualClock,
  systemClock,
} from './clock.js';
export type {
  AuthOptions,
  BrowserOptions,
  DocsOptions,
  PasswordOptions,
  RateLimitOptions,
} from './config.js';
export {
  AUTH_ERROR_CODES,
  AuthConfigError,
  AuthError,
  type AuthErrorCode,
  type AuthErrorOptions,
  type AuthErrorSpec,
  isAuthError,
} from './errors.js';
export type { AuthEvent, AuthEventListener, LoginFailureReason } from './events.js';
export type { UserAdmin } from './flows/admin.js';
export type { LoginContext } from './flows/login.js';
export type { PublicUser } from './flows/public-user.js';
export type { RegisterInput } from './flows/register.js';
export type { TokenResponse } from './flows/tokens.js';
export { type AuthorizationFacts, authorizationHeader } from './http/authorization-header.js';
export { isBearerScheme, parseBearer } from './http/bearer.js';
export { prefersHtml } from './http/browser/negotiate.js';
export type { ErrorFacts } from './http/browser/respond.js';
export { safeReturnPath } from './http/browser/return-path.js';
export type { RequestAuthentication, RequestFacts } from './http/browser/session.js';
export { type ConnectionFacts, clientAddress, MAX_FORWARDED_HOPS } from './http/client-address.js';
export {
  answerClientError,
  type ClientErrorSocket,
  clientErrorAnswer,
} from './http/client-error.js';
export {
  type ContinueAuth,
  type ContinueRequest,
  type ContinueResponse,
  continueUnlessTooLarge,
} from './http/continue.js';
export { type AppRouteDoc, appRoute } from './http/docs/app-route.js';
export type { AssetProvider, OpenApiDocument } from './http/docs/types.js';
export { answerUnmetExpectation, type ExpectationResponse } from './http/expectation.js';
export { fetchRequest } from './http/fetch-request.js';
export type { HandlerContext } from './http/handler.js';
export { type HostFacts, hostHeaderProblem } from './http/host-header.js';
export type { AuthErrorListener, ErrorRequestInfo } from './http/report-error.js';
export { type RequestTarget, requestTarget } from './http/request-target.js';
export { type ErrorParts, errorParts, errorResponse } from './http/respond.js';
export {
  ARGON2ID_DEFAULTS,
  type Argon2idOptions,
  argon2id,
  createHasher,
  type Hasher,
  type HasherOptions,
  type HashVerifier,
  PASSWORD_MAX,
  PASSWORD_MIN,
  type PasswordHasher,
  PBKDF2_MAX_ROUNDS,
  pbkdf2Verifier,
  SCRYPT_DEFAULTS,
  type ScryptOptions,
  scrypt,
  withVerifiers,
} from './password/index.js';
export {
  createRoleModel,
  type HasRoles,
  type Requirement,
  type RoleDefinition,
  type RoleModel,
  type RolesOption,
} from './roles/roles.js';
export { type MemoryStorageOptions, memoryStorage } from './storage/memory.js';
export type {
  AuthStorage,
  NewRefreshToken,
  RateLimitStore,
  RateLimitTake,
  RateLimitWindow,
  RefreshTokenRecord,
  SessionFamily,
  SessionStore,
  SpendResult,
  UserPatch,
  UserRecord,
  UserStore,
} from './storage/types.js';
export { MAX_TOKEN_LENGTH } from './tokens/access-verify.js';
export {
  type AsymmetricKeyOption,
  generatePrivateJwk,
  type KeyOption,
  type SecretKeyOption,
  type SigningAlgorithm,
  SUPPORTED_ALGORITHMS,
} from './tokens/keys.js';
export type { Principal } from './tokens/principal.js';
export { hashRefreshToken } from './tokens/refresh-token.js';
export { createVerifier, type Verifier, type VerifierOptions } from './tokens/verifier.js';
export { displayUsername, USERNAME_MAX, USERNAME_MIN, usernameKey } from './username.js';
