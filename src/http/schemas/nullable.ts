/**
 * Optional request fields that also accept `null`, as HeyGen's bodies do. Each is written as a
 * JSON-schema type list (`type: ["string", "null"]`) rather than an `anyOf` with a null branch:
 * wherever Ajv coerces (query strings; bodies are not coerced, see `validation.ts`), an `anyOf`
 * would quietly turn a refused `0`, `""` or `false` into `null`, while a type list coerces nothing
 * that already has one of its types.
 */
import { type Static, type TObject, Type } from 'typebox';

type Bounds = Record<string, unknown>;

function nullable<T>(type: string, options: Bounds) {
  return Type.Optional(Type.Unsafe<T | null>({ ...options, type: [type, 'null'] }));
}

export function nullableString(options: Bounds = {}) {
  return nullable<string>('string', options);
}

export function nullableInteger(options: Bounds = {}) {
  return nullable<number>('integer', options);
}

export function nullableNumber(options: Bounds = {}) {
  return nullable<number>('number', options);
}

export function nullableBoolean() {
  return nullable<boolean>('boolean', {});
}

export function nullableEnum<const T extends string>(values: readonly T[]) {
  return Type.Optional(
    Type.Unsafe<T | null>({ type: ['string', 'null'], enum: [...values, null] }),
  );
}

export function nullableObject<T extends TObject>(schema: T) {
  return Type.Optional(Type.Unsafe<Static<T> | null>({ ...schema, type: ['object', 'null'] }));
}
