/**
 * Request validation. Query strings, path parameters and headers arrive as text, so their
 * validator coerces (`?limit=20` → 20); JSON bodies arrive typed, so theirs does not: a body with
 * `"duration": "10"` is a 400 naming `duration`, not a silent conversion. Both fill defaults,
 * keep unknown fields for the schemas to reject, and stop at the first error.
 */
import { Ajv, type Options } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: its `module.exports` carries the plugin again as `.default`.
const addFormats = ajvFormats.default;

const BASE_OPTIONS: Options = {
  useDefaults: true,
  removeAdditional: false,
  addUsedSchema: false,
  allErrors: false,
};

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const forText = addFormats(new Ajv({ ...BASE_OPTIONS, coerceTypes: 'array' }));
  const forBody = addFormats(new Ajv({ ...BASE_OPTIONS, coerceTypes: false }));
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? forBody : forText;
    const id = (schema as { $id?: string }).$id;
    return (id === undefined ? undefined : ajv.getSchema(id)) ?? ajv.compile(schema as object);
  };
}
