/**
 * Request validation. Query strings, path parameters and headers arrive as text, so their
 * validator coerces (`?limit=20` → 20); JSON bodies arrive typed, so theirs does not: a body with
 * `"duration": "10"` is a 400 naming `duration`, not a silent conversion. Both fill defaults,
 * keep unknown fields for the schemas to reject, and stop at the first error.
 *
 * Numbers in text are read strictly before Ajv coerces them: an integer field takes only decimal
 * digits with an optional minus sign (at most 15 digits), a number field also a decimal fraction.
 * `Infinity`, `1e400`, `0x10`, `NaN` and ` 5` are a 400 naming the field (Ajv alone would coerce
 * `Infinity` to a number that passes `maximum`).
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
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

const DECIMAL_TEXT = {
  integer: /^-?\d{1,15}$/,
  number: /^-?\d{1,15}(\.\d{1,15})?$/,
} as const;

type Properties = Record<string, { type?: unknown }>;

/** Each numeric property of a flat text schema, with the pattern its text must match. */
function numericFields(schema: object): Array<[string, RegExp]> {
  const properties = (schema as { properties?: Properties }).properties ?? {};
  const fields: Array<[string, RegExp]> = [];
  for (const [name, property] of Object.entries(properties)) {
    const types = [property.type].flat();
    if (types.includes('integer')) fields.push([name, DECIMAL_TEXT.integer]);
    else if (types.includes('number')) fields.push([name, DECIMAL_TEXT.number]);
  }
  return fields;
}

function notDecimal(name: string, type: string): ErrorObject {
  return {
    instancePath: `/${name}`,
    schemaPath: `#/properties/${name}/type`,
    keyword: 'type',
    params: { type },
    message: `must be a finite decimal ${type === 'integer' ? 'integer' : 'number'}`,
  };
}

/** Wraps a text validator so numeric fields must be plain decimal text before coercion. */
function strictNumbers(validate: ValidateFunction, schema: object) {
  const fields = numericFields(schema);
  if (fields.length === 0) return validate;
  const wrapped = (data: unknown) => {
    if (data !== null && typeof data === 'object') {
      for (const [name, pattern] of fields) {
        const raw = (data as Record<string, unknown>)[name];
        if (raw === undefined) continue;
        const texts = [raw].flat();
        if (texts.some((text) => typeof text === 'string' && !pattern.test(text))) {
          const type = pattern === DECIMAL_TEXT.integer ? 'integer' : 'number';
          wrapped.errors = [notDecimal(name, type)];
          return false;
        }
      }
    }
    const valid = validate(data);
    wrapped.errors = validate.errors;
    return valid;
  };
  wrapped.errors = null as ErrorObject[] | null | undefined;
  return wrapped;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const forText = addFormats(new Ajv({ ...BASE_OPTIONS, coerceTypes: 'array' }));
  const forBody = addFormats(new Ajv({ ...BASE_OPTIONS, coerceTypes: false }));
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? forBody : forText;
    const id = (schema as { $id?: string }).$id;
    const validate =
      (id === undefined ? undefined : ajv.getSchema(id)) ?? ajv.compile(schema as object);
    return httpPart === 'body' ? validate : strictNumbers(validate, schema as object);
  };
}
