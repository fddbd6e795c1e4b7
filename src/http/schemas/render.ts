/**
 * Small pieces shared by the account and wallet schemas: instants rendered as ISO 8601 beside
 * their `_ms` field, and nullable fields with a `null` default.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { assert } from '../../shared/assert.ts';
import { toSafeNumber } from '../../shared/clock.ts';

export function isoOf(instant_ms: bigint): string {
  return new Date(toSafeNumber(instant_ms)).toISOString();
}

/**
 * A required-with-default field that also accepts `null`, as a type list (`["integer", "null"]`)
 * rather than an `anyOf`: wherever Ajv coerces (see `validation.ts`), an `anyOf` with a null
 * branch quietly turns a refused `0`, `""` or `false` into `null`; a type list leaves `0` as `0`
 * to fail its `minimum`.
 */
export function nullableWithDefault<T extends TSchema>(schema: T) {
  const type = (schema as { type?: unknown }).type;
  assert(typeof type === 'string', 'nullableWithDefault takes a schema with one primitive type');
  return Type.Unsafe<Static<T> | null>({ ...schema, default: null, type: [type, 'null'] });
}
