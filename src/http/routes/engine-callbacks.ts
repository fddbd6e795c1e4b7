/**
 * `POST /engine/v1/callbacks`: render workers (the `http` engine) report a job's progress,
 * heartbeats, output or failure, authenticated by `Tollgate-Signature` over the raw body (no API
 * key). The body is kept as the text the worker signed (this scope's own JSON parser), verified,
 * then applied (`engines/callbacks.ts`). A bad or stale signature is a 401 and writes nothing; a
 * report about a job that already ended is a 200 with `applied: "ignored"`.
 */
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { receiveEngineCallback } from '../../engines/callbacks.ts';
import { ENGINE_CALLBACK_PATH } from '../../engines/http-engine.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../engines/signing.ts';
import { dataOf, ok } from '../schemas/envelope.ts';
import type { RouteOptions } from '../server.ts';

const CallbackReceived = dataOf(
  Type.Object({
    job_id: Type.String(),
    event: Type.String(),
    applied: Type.Union([
      Type.Literal('running'),
      Type.Literal('completed'),
      Type.Literal('failed'),
      Type.Literal('ignored'),
    ]),
  }),
);

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export const engineCallbackRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });
  app.post(
    ENGINE_CALLBACK_PATH,
    { schema: { response: ok(CallbackReceived) } },
    async (request) => {
      const outcome = await receiveEngineCallback(ctx, {
        body: typeof request.body === 'string' ? request.body : '',
        timestamp: headerText(request.headers[TIMESTAMP_HEADER]),
        signature: headerText(request.headers[SIGNATURE_HEADER]),
      });
      return { data: outcome };
    },
  );
};
