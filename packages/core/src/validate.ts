/** Runs a zod schema on client input and turns failure into `AuthError('invalid_request')`. */
import type { z } from 'zod';
import { AuthError } from './errors.js';

/**
 * Parses `input` with `schema`.
 * @throws AuthError `invalid_request` with one `{path, message}` per problem
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message:
      issue.code !== 'invalid_type'
        ? issue.message
        : valueAt(input, issue.path) === undefined
          ? 'is required'
          : `must be a ${issue.expected}`,
  }));
  const description = issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
  throw new AuthError('invalid_request', { description, issues });
}

/** The value at `path` in `input` (zod's issues don't carry the input they refused). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
