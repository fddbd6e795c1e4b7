/**
 * The input guard: one check on every request, before authentication, validation or any handler,
 * for the text the database refuses or the code cannot bound. It guarantees that no header, path
 * parameter, query parameter or JSON body value (at any depth, keys included) that reaches a route
 * carries a NUL character (PostgreSQL refuses `\u0000` in text), and that no JSON body nests deeper
 * than `body_depth_max` (deeper bodies overflow the stack where they are hashed or stored). Each
 * refusal is a 400 `invalid_parameter` naming the parameter. It is registered on the root
 * instance, so every route, present and future, inherits it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Limits } from '../config.ts';
import { httpError } from './errors.ts';

const NUL = '\u0000';

/** The path (`voice_settings.speed`, `avatar_id.0`) of the first string or key holding a NUL. */
export function findNul(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (item.includes(NUL)) return path;
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (key.includes(NUL)) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

/**
 * The nesting depth of a JSON text, counted without parsing it (so without recursion): brackets
 * inside strings do not count. Stops counting once past `depth_max`.
 */
export function jsonDepthExceeds(text: string, depth_max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > depth_max) return true;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return false;
}

function refuseNul(param: string, where: string): never {
  throw httpError(
    'invalid_parameter',
    `Invalid '${param}' (${where}): text must not contain the NUL character (\\u0000).`,
    { param },
  );
}

function checkText(request: FastifyRequest): void {
  for (const [name, value] of Object.entries(request.headers)) {
    if (findNul(value) !== null) refuseNul(name, 'header');
  }
  const params = findNul(request.params);
  if (params !== null) refuseNul(params, 'path');
  const query = findNul(request.query);
  if (query !== null) refuseNul(query.split('.')[0] ?? query, 'query');
}

/**
 * Replaces Fastify's JSON parser with one that also refuses over-deep bodies and NUL characters,
 * and reads an empty body as no body (a `DELETE` with `Content-Type: application/json` and nothing
 * after it is not an error; a POST without a body still fails its schema, naming the body).
 */
function registerJsonParser(app: FastifyInstance, limits: Limits): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    const body = text as string;
    if (body.length === 0) return done(null, undefined);
    if (jsonDepthExceeds(body, limits.body_depth_max)) {
      const message = `The request body nests objects and arrays deeper than ${limits.body_depth_max} levels.`;
      return done(httpError('invalid_parameter', message), undefined);
    }
    parseJson(request, body, (err, parsed) => {
      if (err !== null) return done(err, undefined);
      const path = findNul(parsed);
      if (path === null) return done(null, parsed);
      try {
        refuseNul(path === '' ? 'body' : path, 'body');
      } catch (refused) {
        done(refused as Error, undefined);
      }
    });
  });
}

export function registerInputGuard(app: FastifyInstance, limits: Limits): void {
  registerJsonParser(app, limits);
  app.addHook('onRequest', async (request) => checkText(request));
}
