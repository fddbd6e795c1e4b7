/**
 * HeyGen's response schemas (the CLI-derived YAML files vendored in test/fixtures/heygen-openapi)
 * as Ajv validators, so tests can check that Tollgate's responses have HeyGen's shape. The files
 * are lossy OpenAPI 3.0: `nullable: true` instead of a null type, `discriminator` without Ajv's
 * option, no `additionalProperties`. `toJsonSchema` turns them into plain JSON Schema; extra
 * fields (such as Tollgate's `billing`) stay allowed, as HeyGen's clients ignore them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import { parse } from 'yaml';

export const HEYGEN_CLI_SCHEMA_DIR = join(import.meta.dirname, 'fixtures', 'heygen-openapi');

type Schema = Record<string, unknown>;

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes a null type; annotations Ajv rejects go. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, discriminator: _d, description: _s, ...rest } = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(rest)) {
    out[key] = key === 'properties' ? mapValues(value as Schema) : toJsonSchema(value);
  }
  if (nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function mapValues(properties: Schema): Schema {
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [name, toJsonSchema(schema)]),
  );
}

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

/** The validator of the 200 response of HeyGen's operation in `file` (e.g. `get_v3_videos.yaml`). */
export function heygenResponseValidator(file: string): ValidateFunction {
  const cached = validators.get(file);
  if (cached !== undefined) return cached;
  const operation = parse(readFileSync(join(HEYGEN_CLI_SCHEMA_DIR, file), 'utf8')) as Schema;
  const schema = operation.response_200_schema;
  if (schema === undefined) throw new Error(`${file} has no response_200_schema`);
  const validate = ajv.compile(toJsonSchema(schema) as Schema);
  validators.set(file, validate);
  return validate;
}

/** Fails the test unless `body` matches the 200 response schema of HeyGen's `file`. */
export function expectHeygenShape(file: string, body: unknown): void {
  const validate = heygenResponseValidator(file);
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `response does not match HeyGen's ${file}`).toEqual([]);
}
