/**
 * zod schemas of the request bodies. They validate the flows' input and feed the OpenAPI
 * document, so the two never disagree.
 */
import { z } from 'zod';
import { USERNAME_MAX, USERNAME_RAW_MAX, usernameProblem } from './username.js';

/** Counts code points, refusing absurd input before counting. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Username field of a registration. */
export const usernameSchema = z
  .string({ error: 'is required and must be a string' })
  .max(USERNAME_RAW_MAX, `must be at most ${USERNAME_MAX} characters`)
  .superRefine((value, ctx) => {
    const problem = usernameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Password field of a registration. */
export function newPasswordSchema(min: number, max: number) {
  return z
    .string({ error: 'is required and must be a string' })
    .max(max * 2, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const n = codePoints(value);
      if (n < min) ctx.addIssue({ code: 'custom', message: `must be at least ${min} characters` });
      else if (n > max)
        ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
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
      .max(USERNAME_RAW_MAX, `must be at most ${USERNAME_MAX} characters`),
    password: z
      .string({ error: 'is required and must be a string' })
      .min(1, 'is required')
      .max(maxPassword * 2, `must be at most ${maxPassword} characters`)
      .refine((v) => codePoints(v) <= maxPassword, `must be at most ${maxPassword} characters`),
  });
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

/** Form body of `POST /auth/token` (RFC 6749 §4.3, §6). */
export const tokenRequestSchema = z.object({
  grant_type: z.string({ error: 'is required' }).min(1, 'is required').max(64),
  username: z.string().max(USERNAME_RAW_MAX).optional(),
  password: z.string().max(8192).optional(),
  refresh_token: z.string().max(512).optional(),
  scope: z.string().max(1024).optional(),
});
