/**
 * HeyGen's voice routes over the public catalog: `GET /v3/voices` (filter by type, engine,
 * language, gender; cursor pages) and `GET /v3/voices/{voice_id}` (404 for an unknown voice).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { findVoice, getVoice, listVoices } from '../../catalog/voices.ts';
import { httpError } from '../errors.ts';
import { ok } from '../schemas/envelope.ts';
import { VoiceDetail, VoicePage } from '../schemas/v3-responses.ts';
import {
  ListVoicesQuery,
  renderVoiceDetail,
  renderVoiceItem,
  VoiceParams,
} from '../schemas/voices.ts';
import type { RouteOptions } from '../server.ts';

// A voice page token is the last voice's id, base64url: opaque to clients, checked on the way in.
const encodeVoiceToken = (voice_id: string) => Buffer.from(voice_id).toString('base64url');

function decodeVoiceToken(token: string | undefined): string | null {
  if (token === undefined) return null;
  const voice_id = Buffer.from(token, 'base64url').toString('utf8');
  if (findVoice(voice_id) === null) {
    throw httpError('invalid_parameter', 'Invalid pagination token.', { param: 'token' });
  }
  return voice_id;
}

export const voiceRoutes: FastifyPluginAsync<RouteOptions> = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v3/voices',
    { schema: { querystring: ListVoicesQuery, response: ok(VoicePage) } },
    async (request) => {
      const query = request.query;
      const page = listVoices({
        type: query.type,
        engine: query.engine ?? null,
        language: query.language ?? null,
        gender: query.gender ?? null,
        after_id: decodeVoiceToken(query.token),
        limit: query.limit,
      });
      const last = page.voices[page.voices.length - 1];
      const next_token =
        page.has_more && last !== undefined ? encodeVoiceToken(last.voice_id) : null;
      return { data: page.voices.map(renderVoiceItem), has_more: page.has_more, next_token };
    },
  );

  app.get(
    '/v3/voices/:voice_id',
    { schema: { params: VoiceParams, response: ok(VoiceDetail) } },
    async (request) => ({
      data: renderVoiceDetail(getVoice(request.params.voice_id)),
    }),
  );
};
