/**
 * Errors raised before our handlers run, by Fastify (routing, content-type parsing, body size) or
 * by Node's HTTP server (malformed requests, request timeouts), rendered in HeyGen's envelope like
 * every other error. `frameworkErrors` covers what the router refuses (malformed percent-encoding,
 * an over-long path parameter), `clientErrorHandler` what Node refuses before a request exists
 * (it answers on the raw socket with a fresh request id), and `renderFrameworkError` the Fastify
 * errors that reach the error handler.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { stringifyJson } from '../shared/json.ts';
import { type ErrorBody, errorBody } from './errors.ts';

export type FrameworkRendering = {
  status: number;
  code: string;
  message: string;
  param: string | null;
};

const rendering = (status: number, code: string, message: string, param: string | null = null) => ({
  status,
  code,
  message,
  param,
});

/** The envelope fields for an error Fastify raised (`FST_ERR_*`) or any other non-domain 4xx. */
export function renderFrameworkError(err: FastifyError): FrameworkRendering | null {
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      return rendering(400, 'invalid_parameter', 'The URL path has malformed percent-encoding.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return rendering(414, 'invalid_parameter', 'A path parameter is too long.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return rendering(
        415,
        'invalid_parameter',
        'Send the request body as JSON with Content-Type: application/json.',
        'Content-Type',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return rendering(400, 'invalid_parameter', 'Content-Length does not match the body.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return rendering(400, 'invalid_parameter', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return rendering(413, 'payload_too_large', 'Request body is too large.');
    case 'FST_ERR_HANDLER_TIMEOUT':
      return rendering(503, 'request_timeout', 'The request took too long. Retry later.');
  }
  const status = err.statusCode ?? 500;
  if (status === 413) return rendering(413, 'payload_too_large', 'Request body is too large.');
  if (status >= 400 && status < 500) return rendering(status, 'invalid_parameter', err.message);
  return null;
}

export async function sendError(
  reply: FastifyReply,
  status: number,
  body: ErrorBody,
): Promise<void> {
  await reply
    .code(status)
    .header('x-request-id', body.request_id)
    .type('application/json; charset=utf-8')
    .send(stringifyJson(body));
}

/** Fastify's `frameworkErrors` option: router errors, before any route or hook runs. */
export const frameworkErrors: FastifyServerOptions['frameworkErrors'] = (err, request, reply) => {
  const found = renderFrameworkError(err) ?? rendering(400, 'invalid_parameter', err.message);
  void sendError(reply, found.status, errorBody(request as FastifyRequest, found));
};

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request was not received in time.'],
  HPE_HEADER_OVERFLOW: [431, 'invalid_parameter', 'The request headers are too large.'],
};

/** Fastify's `clientErrorHandler`: a request Node's parser refused, answered on the socket. */
export function clientErrorHandler(newRequestId: () => string) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [
      400,
      'invalid_parameter',
      'The request is not valid HTTP.',
    ];
    const request_id = newRequestId();
    const body = stringifyJson({
      error: { code, message, param: null, doc_url: null },
      request_id,
    } satisfies ErrorBody);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${request_id}\r\n\r\n${body}`,
    );
  };
}
