/**
 * The OpenAPI 3.1 document and the interactive reference. `@fastify/swagger` collects every route
 * registered after it (its `onRoute` hook) and builds the document from the routes' own TypeBox
 * schemas, so a new route module is documented without a list to keep: request params, query and
 * body as validated, and the `response` schemas the routes declare. What every route shares is
 * added here, for the document only (route schemas are not changed, so validation is not):
 * - a tag from the path (`/v3/videos/…` → `videos`, `/admin/v1/…` → `admin`, `/billing/v1` →
 *   `billing`, `/webhooks/…` → `webhooks`);
 * - the security scheme of the scope the route lives in (`documentScope`, called where the auth
 *   hook is installed): `api_key` (`x-api-key`) for customers, `operator_token` (bearer) for
 *   `/admin/v1`;
 * - the `Idempotency-Key` header on POST of authenticated scopes;
 * - HeyGen's error envelope for 400, 401 and every other 4xx/5xx, with the closed list of codes
 *   from `ERROR_RENDERING`.
 * Served as JSON at `/openapi.json`; Swagger UI at `/docs`, its assets served by the gateway from
 * `@fastify/swagger-ui` (no CDN, no validator badge), so it works offline.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import type { OpenAPIV3_1 } from 'openapi-types';
import { ERROR_RENDERING } from './errors.ts';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

export const SECURITY_SCHEMES = {
  api_key: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: "A customer's API key (HeyGen's scheme); it spends the account's USD wallet.",
  },
  operator_token: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The operator token (`TOLLGATE_ADMIN_TOKEN`, or generated on first start and printed once).',
  },
  session_cookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'tollgate_session',
    description: "The web app's session (`docs/dashboard.md`); writes also need `x-csrf-token`.",
  },
} as const;

export type SecurityScheme = keyof typeof SECURITY_SCHEMES;

const TAGS = [
  { name: 'users', description: 'The account and its wallet, in HeyGen’s shape' },
  { name: 'videos', description: 'Avatar, image, cinematic and studio videos' },
  { name: 'lipsyncs', description: 'Lipsync jobs' },
  { name: 'video-translations', description: 'Video translation jobs and proofreads' },
  { name: 'video-agents', description: 'Video Agent sessions' },
  { name: 'avatars', description: 'Avatar looks, groups and avatar creation' },
  { name: 'voices', description: 'The voice catalog and text-to-speech' },
  { name: 'billing', description: 'Tollgate’s customer billing API: rate card, quotes, ledger' },
  { name: 'admin', description: 'The operator API (`Authorization: Bearer <operator token>`)' },
  { name: 'webhooks', description: 'Inbound webhooks (signed by their sender)' },
  { name: 'operations', description: 'Health, readiness and the root page' },
  {
    name: 'dashboard',
    description: "The web app's sessions and its own routes (`docs/dashboard.md`)",
  },
];

/** The tag of a route, from its path; new route modules are tagged without a list to keep. */
export function tagOf(url: string): string {
  const [first, second] = url.split('/').filter((part) => part.length > 0);
  if (first === 'v3') return second ?? 'v3';
  if (first === 'admin' || first === 'billing' || first === 'webhooks' || first === 'dashboard') {
    return first;
  }
  return 'operations';
}

/**
 * Every code a client can see in `error.code`, each with its HTTP status (Fastify's own errors
 * render to codes of this table too, `framework-errors.ts`).
 */
export function clientErrorCodes(): Array<{ code: string; status: number }> {
  const byCode = new Map<string, number>();
  for (const { status, code } of Object.values(ERROR_RENDERING)) byCode.set(code, status);
  return [...byCode]
    .map(([code, status]) => ({ code, status }))
    .sort((a, b) => a.status - b.status || (a.code < b.code ? -1 : 1));
}

/** HeyGen's error envelope, `components.schemas.Error` of the document. */
function errorEnvelopeSchema(): OpenAPIV3_1.SchemaObject {
  const codes = clientErrorCodes();
  return {
    type: 'object',
    required: ['error', 'request_id'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'param', 'doc_url'],
        properties: {
          code: { type: 'string', enum: codes.map((entry) => entry.code) },
          message: { type: 'string', description: 'Safe to show; 5xx texts are generic.' },
          param: {
            type: ['string', 'null'],
            description: 'The offending field or header, when one is to blame.',
          },
          doc_url: { type: ['string', 'null'] },
          details: {
            type: 'object',
            description: 'Extra facts, e.g. `required_micro_usd` and `available_micro_usd` on 402.',
          },
        },
      },
      request_id: { type: 'string', description: 'Also in the `x-request-id` header.' },
    },
    example: {
      error: {
        code: 'invalid_parameter',
        message: 'script must NOT have more than 5000 characters',
        param: 'script',
        doc_url: 'https://developers.heygen.com/docs/error-codes#invalid-parameter',
      },
      request_id: 'req_4f9c1d2e8a7b6c5d',
    },
  };
}

function codesWith(predicate: (status: number) => boolean): string {
  return clientErrorCodes()
    .filter((entry) => predicate(entry.status))
    .map((entry) => `\`${entry.code}\` (${entry.status})`)
    .join(', ');
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The error responses every documented route may answer, in HeyGen's envelope. */
function errorResponses(secured: boolean): Record<string, unknown> {
  const responses: Record<string, unknown> = {
    400: errorResponse('Bad input: `invalid_parameter`, naming the offending `param`.'),
    '4xx': errorResponse(
      `Other client errors. Codes: ${codesWith((status) => status > 400 && status < 500)}.`,
    ),
    '5xx': errorResponse(
      `Server errors: ${codesWith((status) => status >= 500)}; the message is generic.`,
    ),
  };
  if (secured) {
    responses[401] = errorResponse('`authentication_failed`: missing or wrong credentials.');
  }
  return responses;
}

const IDEMPOTENCY_HEADER_SCHEMA = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      pattern: '^[A-Za-z0-9_:.-]{1,255}$',
      description:
        'Runs the request once: a retry within 24 h replays the stored response ' +
        '(`idempotent-replayed: true`); the same key with another body is 409.',
    },
  },
};

/** Adds to one route's document what every route shares; the route's own schema wins. */
export function documentRoute({
  schema,
  url,
  route,
}: {
  schema: FastifySchema | undefined;
  url: string;
  route: RouteOptions;
}): { schema: FastifySchema; url: string } {
  const own = schema ?? {};
  const secured = (own.security?.length ?? 0) > 0;
  const methods = [route.method].flat();
  const documented: FastifySchema = {
    ...own,
    tags: own.tags ?? [tagOf(url)],
    response: { ...errorResponses(secured), ...((own.response ?? {}) as object) },
  };
  if (secured && methods.includes('POST') && own.headers === undefined) {
    documented.headers = IDEMPOTENCY_HEADER_SCHEMA;
  }
  return { schema: documented, url };
}

/**
 * Marks every route of `scope` (routes registered in it after this call) with the security
 * scheme its auth hook enforces. Call it next to the `onRequest` auth hook.
 */
export function documentScope(scope: FastifyInstance, scheme: SecurityScheme): void {
  scope.addHook('onRoute', (route) => {
    const schema = route.schema ?? {};
    route.schema = { ...schema, security: schema.security ?? [{ [scheme]: [] }] };
  });
}

/** Registers the document generator (before any route) and serves `/openapi.json` and `/docs`. */
export function registerOpenApi(app: FastifyInstance, options: { version: string }): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tollgate',
        version: options.version,
        description:
          'A self-hosted pay-as-you-go billing gateway that speaks HeyGen’s v3 API. ' +
          'Customer routes (`/v3`, `/billing/v1`) take `x-api-key`; the operator API ' +
          '(`/admin/v1`) takes `Authorization: Bearer <operator token>`. Every error is ' +
          'HeyGen’s envelope `{error: {code, message, param, doc_url}, request_id}`. Tollgate’s ' +
          'own amounts come twice: an exact integer `_micro_usd` and a decimal string `_usd`.',
      },
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES, schemas: { Error: errorEnvelopeSchema() } },
    },
    transform: documentRoute,
  });
  app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PATH,
    validatorUrl: false, // no badge fetched from validator.swagger.io
    theme: { title: 'Tollgate API reference' },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}
