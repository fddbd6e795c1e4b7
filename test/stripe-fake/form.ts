/**
 * The request side of the Stripe fake: decodes Stripe's form encoding (`a[b][0][c]=v`, what the
 * SDK sends) into nested values, and checks them against a per-endpoint parameter spec the way
 * Stripe does: an unknown parameter, a missing required one or a value of the wrong type is a 400
 * `invalid_request_error` naming the `param`. Values come out typed (integers as numbers).
 */

export type Spec =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'metadata'
  | { enum: readonly string[] }
  | { object: Fields }
  | { array: Spec };
export type Field = Spec | { required: Spec };
export type Fields = Record<string, Field>;

/** An error Stripe would answer: HTTP status and the `error` object. */
export class StripeFakeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

export function invalidRequest(code: string, message: string, param?: string): StripeFakeError {
  return new StripeFakeError(400, { type: 'invalid_request_error', code, message, param });
}

type Tree = { [key: string]: Tree | string };

/** `a[b][0]=x&a[b][1]=y` → `{a: {b: ['x', 'y']}}`; repeated plain keys keep the last value. */
export function decodeForm(text: string): Record<string, unknown> {
  const root: Tree = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (match === null) throw invalidRequest('parameter_unknown', `Invalid parameter: ${key}`, key);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node = root;
    for (let index = 0; index < path.length - 1; index++) {
      let segment = path[index]!;
      if (segment === '') segment = String(Object.keys(node).length);
      const next = node[segment];
      if (typeof next === 'string')
        throw invalidRequest('parameter_invalid', `Invalid ${key}`, key);
      if (next === undefined) node[segment] = {};
      node = node[segment] as Tree;
    }
    let last = path[path.length - 1]!;
    if (last === '') last = String(Object.keys(node).length);
    node[last] = value;
  }
  return toArrays(root) as Record<string, unknown>;
}

/** Objects whose keys are exactly 0..n-1 become arrays. */
function toArrays(tree: Tree | string): unknown {
  if (typeof tree === 'string') return tree;
  const keys = Object.keys(tree);
  const converted = Object.fromEntries(keys.map((key) => [key, toArrays(tree[key]!)]));
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isList ? keys.map((key) => converted[key]) : converted;
}

const METADATA_KEYS_MAX = 50;

/** Checks `input` against `fields`, returning the typed values; throws as Stripe would. */
export function checkParams(
  input: Record<string, unknown>,
  fields: Fields,
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(input)) {
    if (!(name in fields)) {
      const param = prefix === '' ? name : `${prefix}[${name}]`;
      throw invalidRequest('parameter_unknown', `Received unknown parameter: ${param}`, param);
    }
  }
  for (const [name, field] of Object.entries(fields)) {
    const param = prefix === '' ? name : `${prefix}[${name}]`;
    const spec = typeof field === 'object' && 'required' in field ? field.required : field;
    const value = input[name];
    if (value === undefined || value === '') {
      if (spec !== field) {
        throw invalidRequest('parameter_missing', `Missing required param: ${param}.`, param);
      }
      continue;
    }
    out[name] = checkValue(value, spec as Spec, param);
  }
  return out;
}

function checkValue(value: unknown, spec: Spec, param: string): unknown {
  if (spec === 'string') {
    if (typeof value !== 'string') throw invalid(param, 'a string');
    return value;
  }
  if (spec === 'integer') {
    if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
      throw invalidRequest('parameter_invalid_integer', `Invalid integer: ${value}`, param);
    }
    return Number(value);
  }
  if (spec === 'boolean') {
    if (value !== 'true' && value !== 'false') throw invalid(param, 'a boolean');
    return value === 'true';
  }
  if (spec === 'metadata') return checkMetadata(value, param);
  if ('enum' in spec) {
    if (typeof value !== 'string' || !spec.enum.includes(value)) {
      throw invalidRequest(
        'parameter_invalid_empty',
        `Invalid ${param}: must be one of ${spec.enum.join(', ')}`,
        param,
      );
    }
    return value;
  }
  if ('object' in spec) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(param, 'an object');
    }
    return checkParams(value as Record<string, unknown>, spec.object, param);
  }
  if (!Array.isArray(value)) throw invalid(param, 'an array');
  return value.map((item, index) => checkValue(item, spec.array, `${param}[${index}]`));
}

function checkMetadata(value: unknown, param: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(param, 'an object of strings');
  }
  const entries = Object.entries(value);
  if (entries.length > METADATA_KEYS_MAX) throw invalid(param, 'at most 50 keys');
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw invalid(`${param}[${key}]`, 'a string');
  }
  return value as Record<string, string>;
}

function invalid(param: string, what: string): StripeFakeError {
  return invalidRequest('parameter_invalid', `Invalid ${param}: must be ${what}`, param);
}
