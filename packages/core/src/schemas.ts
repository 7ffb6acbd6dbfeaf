/**
 * zod schemas of the request bodies. They validate the flows' input and feed the OpenAPI
 * document, so the two never disagree.
 */
import { z } from 'zod';
import { AUTH_ERROR_CODES, type AuthErrorCode } from './errors.js';
import {
  loginUsernameProblem,
  USERNAME_MAX,
  USERNAME_MIN,
  USERNAME_RAW_MAX,
  usernameProblem,
} from './username.js';
import { wellFormed } from './well-formed.js';

/** Why text with a lone surrogate is refused (it has no UTF-8 form: it would hash as U+FFFD). */
const ILL_FORMED = 'must be well-formed Unicode (no lone surrogates)';

/** Counts code points, refusing absurd input before counting. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Username field of a registration. */
export const usernameSchema = z
  .string({ error: 'is required and must be a string' })
  .max(USERNAME_RAW_MAX, { error: `must be at most ${USERNAME_MAX} characters`, abort: true })
  .superRefine((value, ctx) => {
    const problem = usernameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description: `Trimmed and NFKC-normalised, ${USERNAME_MIN}–${USERNAME_MAX} characters, compared without regard to case.`,
    examples: ['alice'],
    // The limits of the contract (the validation's own cap is a looser one on the raw input).
    minLength: USERNAME_MIN,
    maxLength: USERNAME_MAX,
  });

/** Password field of a registration. */
export function newPasswordSchema(min: number, max: number) {
  return z
    .string({ error: 'is required and must be a string' })
    .max(max * 2, { error: `must be at most ${max} characters`, abort: true })
    .superRefine((value, ctx) => {
      const n = codePoints(value);
      if (n < min) ctx.addIssue({ code: 'custom', message: `must be at least ${min} characters` });
      else if (n > max)
        ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
      else if (!wellFormed(value)) ctx.addIssue({ code: 'custom', message: ILL_FORMED });
    })
    .meta({
      description: `${min}–${max} characters.`,
      format: 'password',
      minLength: min,
      maxLength: max,
    });
}

/** Body of `POST /auth/register`; other fields are dropped. */
export function registerSchema(minPassword: number, maxPassword: number) {
  return z.object({
    username: usernameSchema,
    password: newPasswordSchema(minPassword, maxPassword),
  });
}

/** Body of `POST /auth/login`: only presence and size are checked before the credentials. */
export function loginSchema(maxPassword: number) {
  return z.object({
    username: z
      .string({ error: 'is required and must be a string' })
      .min(1, 'is required')
      .superRefine((value, ctx) => {
        const problem = loginUsernameProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .meta({ maxLength: USERNAME_MAX }),
    password: loginPasswordSchema(maxPassword).min(1, 'is required'),
  });
}

/**
 * The password of a login, its size checked before any hashing: at most `max` characters
 * (code points; the cap on UTF-16 units before counting is twice that, which no password of
 * `max` characters exceeds). The OpenAPI document states `max`, the limit that counts.
 */
function loginPasswordSchema(max: number) {
  return z
    .string({ error: 'is required and must be a string' })
    .max(max * 2, { error: `must be at most ${max} characters`, abort: true })
    .refine((v) => codePoints(v) <= max, {
      error: `must be at most ${max} characters`,
      abort: true,
    })
    .refine(wellFormed, ILL_FORMED)
    .meta({ format: 'password', maxLength: max });
}

/** Body of `POST /auth/refresh`. */
export const refreshSchema = z.object({
  refresh_token: z
    .string({ error: 'is required and must be a string' })
    .min(1, 'is required')
    .max(512, 'is too long'),
});

/** Body of `POST /auth/logout`. */
export const logoutSchema = z.object({
  refresh_token: z.string().max(512, 'is too long').optional(),
  all: z.union([z.boolean(), z.literal('true'), z.literal('false')]).optional(),
});

/**
 * Form body of `POST /auth/token` (RFC 6749 §4.3, §6). `scope`, `client_id` and
 * `client_secret` are accepted and ignored (RFC 6749 §3.2.1 lets public clients send them;
 * Swagger UI's password flow does), other parameters are dropped. `username` and `password`
 * have the limits of a login.
 */
export function tokenRequestSchema(maxPassword: number) {
  return z.object({
    grant_type: z
      .string({ error: 'is required and must be a string' })
      .min(1, 'is required')
      .meta({ description: '`password` or `refresh_token`.', examples: ['password'] }),
    username: z
      .string()
      .max(USERNAME_RAW_MAX, `must be at most ${USERNAME_MAX} characters`)
      .optional()
      .meta({ description: 'For `password`.', maxLength: USERNAME_MAX }),
    password: loginPasswordSchema(maxPassword).optional().meta({ description: 'For `password`.' }),
    refresh_token: z
      .string()
      .max(512, 'is too long')
      .optional()
      .meta({ description: 'For `refresh_token`.' }),
    scope: z.string().max(1024, 'is too long').optional().meta({
      description:
        "Not granted: a non-empty scope is refused with `invalid_scope` (a token carries its user's roles).",
    }),
    client_id: z.string().max(1024, 'is too long').optional().meta({ description: 'Ignored.' }),
    client_secret: z.string().max(1024, 'is too long').optional().meta({ description: 'Ignored.' }),
  });
}

/** A user as the routes show it (`GET /auth/me`, registration). */
export const publicUserSchema = z.object({
  id: z.string().meta({ description: 'Stable opaque id, the `sub` of access tokens.' }),
  username: z.string(),
  roles: z.array(z.string()),
});

/** Body of a `201` from `POST /auth/register`. */
export const registeredSchema = z.object({ user: publicUserSchema });

/** The RFC 6749 §5.1 token response. */
export const tokenResponseSchema = z.object({
  access_token: z.string().meta({ description: 'A JWT (`typ: at+jwt`).' }),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive().meta({ description: 'Seconds.' }),
  refresh_token: z.string().meta({ description: 'Opaque; spent by its first use.' }),
});

/** Every error body: `{error, error_description}`, plus `issues` for `invalid_request`. */
export const errorBodySchema = z.object({
  error: z.enum(Object.keys(AUTH_ERROR_CODES) as [AuthErrorCode, ...AuthErrorCode[]]),
  error_description: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** The JWK Set document (RFC 7517 §5). */
export const jwksSchema = z.object({
  keys: z.array(z.record(z.string(), z.unknown())),
});
