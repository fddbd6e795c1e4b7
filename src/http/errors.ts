/**
 * The HTTP face of every error. One table maps each domain code to a status and the code clients
 * see (HeyGen's code where HeyGen has one for the situation, else the domain's own); the compiler
 * checks the table is exhaustive. One handler renders HeyGen's envelope
 * `{ error: { code, message, param, doc_url }, request_id }` and hides the text of 5xx errors.
 * Errors Fastify and Node raise before our handlers are rendered by `framework-errors.ts`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountErrorCode } from '../accounts/errors.ts';
import type { AgentErrorCode } from '../agents/errors.ts';
import type { CatalogErrorCode } from '../catalog/errors.ts';
import type { DashboardErrorCode } from '../dashboard/errors.ts';
import type { EngineErrorCode } from '../engines/errors.ts';
import type { IdempotencyErrorCode } from '../idempotency/errors.ts';
import type { JobErrorCode } from '../jobs/errors.ts';
import type { KeyLimitErrorCode } from '../key-limits/errors.ts';
import type { LedgerErrorCode } from '../ledger/errors.ts';
import type { NetErrorCode } from '../net/errors.ts';
import type { OAuthErrorCode } from '../oauth/errors.ts';
import type { PaymentErrorCode } from '../payments/errors.ts';
import type { PlanErrorCode } from '../plans/errors.ts';
import type { PricingErrorCode } from '../pricing/errors.ts';
import type { ReloadErrorCode } from '../reload/errors.ts';
import { DomainError } from '../shared/errors.ts';
import type { UsageBasedErrorCode } from '../usage-based/errors.ts';
import type { UserErrorCode } from '../users/errors.ts';
import type { WalletErrorCode } from '../wallets/errors.ts';
import type { WebhookErrorCode } from '../webhooks/errors.ts';
import { renderFrameworkError, sendError } from './framework-errors.ts';

export type HttpErrorCode =
  | 'invalid_parameter'
  | 'authentication_failed'
  | 'forbidden'
  | 'not_found'
  | 'rate_limit_exceeded'
  | 'payload_too_large'
  | 'request_timeout'
  | 'internal_error';

export type ErrorCode =
  | HttpErrorCode
  | IdempotencyErrorCode
  | AccountErrorCode
  | WalletErrorCode
  | PricingErrorCode
  | LedgerErrorCode
  | JobErrorCode
  | CatalogErrorCode
  | AgentErrorCode
  | PaymentErrorCode
  | ReloadErrorCode
  | PlanErrorCode
  | UsageBasedErrorCode
  | KeyLimitErrorCode
  | NetErrorCode
  | WebhookErrorCode
  | EngineErrorCode
  | UserErrorCode
  | DashboardErrorCode
  | OAuthErrorCode;

type Rendering = { status: number; code: string };
const as = (status: number, code: string): Rendering => ({ status, code });

export const ERROR_RENDERING: Record<ErrorCode, Rendering> = {
  invalid_parameter: as(400, 'invalid_parameter'),
  authentication_failed: as(401, 'authentication_failed'),
  forbidden: as(403, 'forbidden'),
  not_found: as(404, 'not_found'),
  rate_limit_exceeded: as(429, 'rate_limit_exceeded'),
  payload_too_large: as(413, 'payload_too_large'),
  request_timeout: as(408, 'request_timeout'),
  internal_error: as(500, 'internal_error'),
  // idempotency
  request_in_progress: as(409, 'request_in_progress'),
  idempotency_key_reused: as(409, 'idempotency_key_reused'),
  // accounts
  account_not_found: as(404, 'not_found'),
  username_taken: as(409, 'username_taken'),
  api_key_not_found: as(404, 'not_found'),
  api_key_revoked: as(401, 'authentication_failed'),
  invalid_api_key: as(401, 'authentication_failed'),
  // wallets
  insufficient_balance: as(402, 'insufficient_credit'),
  amount_invalid: as(400, 'invalid_parameter'),
  hold_not_found: as(404, 'not_found'),
  hold_already_resolved: as(409, 'hold_already_resolved'),
  grant_terms_invalid: as(400, 'invalid_parameter'),
  grant_not_found: as(404, 'not_found'),
  refund_exceeds_charge: as(409, 'refund_exceeds_charge'),
  // pricing
  rate_not_exact: as(500, 'internal_error'),
  rate_card_invalid: as(500, 'internal_error'),
  rate_card_not_found: as(500, 'internal_error'),
  product_not_offered: as(400, 'invalid_parameter'),
  duration_invalid: as(400, 'invalid_parameter'),
  avatar_iii_not_available: as(403, 'avatar_iii_not_available'),
  enterprise_only: as(403, 'enterprise_only'),
  rate_card_rejected: as(400, 'invalid_parameter'),
  rate_card_version_taken: as(409, 'rate_card_version_taken'),
  rate_card_version_not_found: as(404, 'not_found'),
  // ledger
  ledger_transfer_failed: as(500, 'internal_error'),
  ledger_account_failed: as(500, 'internal_error'),
  // jobs
  job_not_found: as(404, 'not_found'),
  concurrency_limit_reached: as(429, 'rate_limit_exceeded'),
  job_not_cancellable: as(409, 'job_not_cancellable'),
  avatar_not_found: as(404, 'not_found'),
  invalid_job_request: as(400, 'invalid_parameter'),
  job_not_ready: as(409, 'job_not_ready'),
  render_failed: as(422, 'render_failed'),
  // catalog
  look_not_found: as(404, 'not_found'),
  look_not_deletable: as(403, 'forbidden'),
  voice_not_found: as(404, 'not_found'),
  voice_not_usable: as(400, 'invalid_parameter'),
  // agents
  agent_session_not_chat: as(400, 'invalid_parameter'),
  agent_session_busy: as(409, 'session_busy'),
  agent_session_ended: as(409, 'session_ended'),
  agent_video_limit_reached: as(409, 'video_limit_reached'),
  // payments
  payments_not_configured: as(403, 'payments_not_configured'),
  top_up_amount_invalid: as(400, 'invalid_parameter'),
  top_up_not_found: as(404, 'not_found'),
  payment_provider_failed: as(502, 'payment_provider_failed'),
  webhook_signature_invalid: as(400, 'invalid_parameter'),
  // auto-reload
  payment_method_required: as(400, 'payment_method_required'),
  auto_reload_setting_invalid: as(400, 'invalid_parameter'),
  // users
  user_not_found: as(404, 'not_found'),
  email_taken: as(409, 'email_taken'),
  email_invalid: as(400, 'invalid_parameter'),
  password_invalid: as(400, 'invalid_parameter'),
  too_many_sign_in_attempts: as(429, 'too_many_sign_in_attempts'),
  // oauth
  oauth_client_not_found: as(404, 'not_found'),
  oauth_client_id_taken: as(409, 'oauth_client_id_taken'),
  redirect_uri_invalid: as(400, 'invalid_parameter'),
  // web plans
  insufficient_credits: as(402, 'insufficient_credit'),
  web_plan_required: as(402, 'insufficient_credit'),
  plan_not_found: as(404, 'not_found'),
  plan_rejected: as(400, 'invalid_parameter'),
  credit_rate_card_rejected: as(400, 'invalid_parameter'),
  credit_rate_card_version_taken: as(409, 'credit_rate_card_version_taken'),
  credits_not_offered: as(400, 'invalid_parameter'),
  credit_hold_already_resolved: as(409, 'hold_already_resolved'),
  spending_cap_exceeded: as(402, 'spending_cap_exceeded'),
  billing_settings_invalid: as(400, 'invalid_parameter'),
  statement_period_invalid: as(400, 'invalid_parameter'),
  statement_too_large: as(422, 'statement_too_large'),
  api_key_spending_limit_exceeded: as(402, 'api_key_spending_limit_exceeded'),
  spending_limit_invalid: as(400, 'invalid_parameter'),
  // outbound calls
  outbound_url_refused: as(400, 'invalid_parameter'),
  outbound_request_failed: as(502, 'outbound_request_failed'),
  // webhooks
  webhook_endpoint_not_found: as(404, 'not_found'),
  webhook_event_not_found: as(404, 'not_found'),
  webhook_event_type_invalid: as(400, 'invalid_parameter'),
  webhook_endpoint_limit_reached: as(409, 'resource_limit_exceeded'),
  // engines
  engine_signature_invalid: as(401, 'authentication_failed'),
  engine_job_not_found: as(404, 'not_found'),
  invalid_engine_callback: as(400, 'invalid_parameter'),
  engine_not_configured: as(403, 'engine_not_configured'),
  // users
  // dashboard
  csrf_token_invalid: as(403, 'csrf_token_invalid'),
  time_zone_invalid: as(400, 'invalid_parameter'),
};

const HEYGEN_DOC_CODES = new Set([
  'invalid_parameter',
  'authentication_failed',
  'insufficient_credit',
  'not_found',
  'rate_limit_exceeded',
  'request_in_progress',
]);

export type ErrorBody = {
  error: { code: string; message: string; param: string | null; doc_url: string | null } & Record<
    string,
    unknown
  >;
  request_id: string;
};

export function errorBody(
  request: FastifyRequest,
  rendering: {
    code: string;
    message: string;
    param: string | null;
    details?: Record<string, unknown>;
  },
): ErrorBody {
  const doc_url = HEYGEN_DOC_CODES.has(rendering.code)
    ? `https://developers.heygen.com/docs/error-codes#${rendering.code.replaceAll('_', '-')}`
    : null;
  const error = {
    code: rendering.code,
    message: rendering.message,
    param: rendering.param,
    doc_url,
  };
  return {
    error: rendering.details === undefined ? error : { ...error, details: rendering.details },
    request_id: request.id,
  };
}

/** A 4xx/5xx raised at the HTTP edge itself (auth, validation, idempotency). */
export function httpError(
  code: HttpErrorCode,
  message: string,
  options: { param?: string | null; details?: Record<string, unknown> } = {},
): DomainError<HttpErrorCode> {
  return new DomainError(code, message, options);
}

function renderValidation(err: FastifyError): { message: string; param: string | null } {
  const first = err.validation?.[0];
  if (first === undefined) return { message: err.message, param: null };
  const params = first.params as
    | { missingProperty?: string; additionalProperty?: string }
    | undefined;
  const named = params?.missingProperty ?? params?.additionalProperty;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const param = named !== undefined ? [path, named].filter(Boolean).join('.') : path || null;
  if (params?.additionalProperty !== undefined) {
    return { message: `Unknown field '${param}'.`, param };
  }
  if (params?.missingProperty !== undefined) {
    return { message: `Missing required field '${param}'.`, param };
  }
  if (param === null && err.validationContext === 'body') {
    return { message: 'The request body must be a JSON object.', param };
  }
  const where = param === null ? 'request' : `'${param}'`;
  const source = err.validationContext === 'body' ? '' : ` (${err.validationContext})`;
  return { message: `Invalid ${where}${source}: ${first.message ?? 'is invalid'}.`, param };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) => {
    const message = `No route ${request.method} ${request.url.split('?')[0]}.`;
    await sendError(reply, 404, errorBody(request, { code: 'not_found', message, param: null }));
  });
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    if (err instanceof DomainError) {
      const rendering = ERROR_RENDERING[err.code as ErrorCode] ?? ERROR_RENDERING.internal_error;
      // A 5xx that is an outcome (a service not configured, a provider down) keeps its message.
      if (rendering.code === 'internal_error') return renderInternal(err, request, reply);
      const retryAfter = err.details?.retry_after_s;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      const body = errorBody(request, {
        code: rendering.code,
        message: err.message,
        param: err.param,
        details: err.details,
      });
      return sendError(reply, rendering.status, body);
    }
    if (err.validation !== undefined) {
      return sendError(
        reply,
        400,
        errorBody(request, { code: 'invalid_parameter', ...renderValidation(err) }),
      );
    }
    const framework = renderFrameworkError(err);
    if (framework === null) return renderInternal(err, request, reply);
    return sendError(reply, framework.status, errorBody(request, framework));
  });
}

async function renderInternal(
  err: Error,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  request.log.error({ err }, 'internal error');
  const message =
    'Something went wrong on our end. Retry later or contact support with the request_id.';
  await sendError(reply, 500, errorBody(request, { code: 'internal_error', message, param: null }));
}
