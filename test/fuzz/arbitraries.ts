/**
 * fast-check arbitraries for the route fuzz test: values derived from a route's JSON schemas
 * (mostly valid, so requests get past validation into the handlers), and the hostile values of
 * issue 11 (NUL, deep nesting, huge and non-finite numbers, malformed percent-encoding, over-long
 * strings, wrong types) to mix into them.
 */
import fc from 'fast-check';

type Schema = {
  type?: string | string[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
};

const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Hostile JSON values for a body field (parsed forms; raw texts are in `HOSTILE_BODY_TEXTS`). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'a\u0000b',
    '\u0000',
    '',
    'x'.repeat(70_000),
    '%',
    '%00',
    'Infinity',
    '🦄'.repeat(3_000),
    -1,
    0,
    0.5,
    -0,
    1e300,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    null,
    [],
    {},
    ['a\u0000'],
    { nested: { deeper: 'a\u0000' } },
    JSON.parse(deepJson(40)),
    { __proto__x: 1, constructor: 'x' },
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
);

/** Whole request bodies sent as raw text with `content-type: application/json`. */
export const HOSTILE_BODY_TEXTS = [
  '',
  '{bad',
  'null',
  '[]',
  '"text"',
  '1e400',
  deepJson(5_000),
  `{"type":"avatar","junk":${deepJson(5_000)}}`,
  '{"type":"avatar","avatar_id":"look_twin_sofia","script":"a\\u0000b"}',
  '{"type":"avatar","audio_duration_ms":1e400}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `{"type":"avatar","junk":"${'x'.repeat(900_000)}"}`,
];

/** Hostile texts for a query or path parameter, already percent-encoded for the URL. */
export const HOSTILE_URL_TEXTS = [
  '%00',
  'a%00b',
  '%',
  '%zz',
  '%E0%A4%A',
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '-1',
  '0',
  '1.5',
  '0x10',
  '99999999999999999999999',
  '',
  'x'.repeat(600),
  '%2F..%2F',
  '%F0%9F%A6%84',
];

function typesOf(schema: Schema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function stringFrom(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'email') return fc.constant('fuzz@example.com');
  if (schema.pattern !== undefined) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((text) => text.length >= (schema.minLength ?? 0))
      .map((text) => text.slice(0, schema.maxLength ?? 64));
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 64, Math.max(minLength, 64));
  return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
}

/** A value that (mostly) satisfies `schema`: the first step past validation. */
export function valueFrom(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.anyOf !== undefined) return fc.oneof(...schema.anyOf.map(valueFrom));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length === 0) return fc.constantFrom('look_twin_sofia', ['look_twin_sofia'], null);
  return fc.oneof(...types.map((type) => valueOfType(schema, type)));
}

function valueOfType(schema: Schema, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1_000,
        max: schema.maximum ?? 1_000_000,
        noNaN: true,
      });
    case 'string':
      return stringFrom(schema);
    case 'array':
      return fc.array(schema.items ? valueFrom(schema.items) : fc.string(), {
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object':
      return objectFrom(schema);
    default:
      return fc.constant(null);
  }
}

export function objectFrom(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, valueFrom(property)]),
  );
  return fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

/** A body from `schema` with one field (known or new) replaced by a hostile value. */
export function hostileObjectFrom(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const names = [...Object.keys(schema.properties ?? {}), 'unknown_field'];
  return fc
    .tuple(objectFrom(schema), fc.constantFrom(...names), hostileValue)
    .map(([object, name, value]) => ({ ...object, [name]: value }));
}

/** Query text for a flat schema: each field as text, sometimes a hostile text instead. */
export function queryFrom(schema: Schema | undefined): fc.Arbitrary<string> {
  const names = Object.keys(schema?.properties ?? {});
  if (schema === undefined || names.length === 0) {
    return fc.oneof(
      fc.constant(''),
      fc.constantFrom(...HOSTILE_URL_TEXTS).map((t) => `x=${t}`),
    );
  }
  const valid = objectFrom(schema).map((object) =>
    Object.entries(object)
      .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
      .join('&'),
  );
  const hostile = fc
    .tuple(valid, fc.constantFrom(...names), fc.constantFrom(...HOSTILE_URL_TEXTS))
    .map(([text, name, value]) => [text, `${name}=${value}`].filter(Boolean).join('&'));
  return fc.oneof(valid, hostile);
}
