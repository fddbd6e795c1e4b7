/**
 * Response envelopes for the OpenAPI document: HeyGen's `{ data }` and its list envelope
 * `{ data, has_more, next_token }`, and the nullable field. These schemas describe what routes
 * send; they never serialize it (`server.ts`: replies go through `stringifyJson`).
 */
import { type TSchema, Type } from 'typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** `{ data: … }`, with an example of the whole body when one is given. */
export function dataOf<T extends TSchema>(schema: T, example?: unknown) {
  return Type.Object(
    { data: schema },
    example === undefined ? {} : { examples: [{ data: example }] },
  );
}

/** HeyGen's list envelope: one page of items and the cursor of the next page. */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    has_more: Type.Boolean(),
    next_token: Nullable(Type.String({ description: 'Pass as `token` for the next page.' })),
  });
}

/** Exact integer micro-USD beside its decimal USD string, as every Tollgate amount is given. */
export const MicroUsd = Type.Integer({ minimum: 0, description: 'Integer micro-USD (1e-6 USD).' });
export const Usd = Type.String({ description: 'Decimal USD string, exact.', examples: ['0.667'] });
/** An instant in Unix seconds (HeyGen's `/v3` fields). */
export const UnixSeconds = Type.Integer({ description: 'Unix seconds' });
/** An ISO 8601 instant (Tollgate's own APIs, beside its `_ms` field). */
export const IsoInstant = Type.String({ format: 'date-time' });

/**
 * A route's documented success response (`schema.response`). Typed `unknown` so the type
 * provider leaves reply types to the renderers: they hold bigints, which become JSON integers
 * only when `stringifyJson` serializes them.
 */
export function ok(schema: TSchema, status: 200 | 201 = 200) {
  return { [status]: Type.Unsafe<unknown>(schema) };
}
