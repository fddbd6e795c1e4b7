/**
 * HeyGen's avatar look routes over the demo catalog: `GET /v3/avatars/looks` (filter by
 * avatar_type, group_id, ownership; cursor pages of 1–50, default 20) and
 * `GET /v3/avatars/looks/{look_id}`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { AVATAR_TYPES, findLook, getLook, listLooks } from '../../catalog/looks.ts';
import { httpError } from '../errors.ts';
import type { RouteOptions } from '../server.ts';

const LOOKS_LIMIT_MAX = 50;

const ListLooksQuery = Type.Object({
  avatar_type: Type.Optional(Type.Enum(AVATAR_TYPES)),
  group_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  ownership: Type.Optional(Type.Enum(['public', 'private'])),
  limit: Type.Integer({ minimum: 1, maximum: LOOKS_LIMIT_MAX, default: 20 }),
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
});

const LookParams = Type.Object({ look_id: Type.String({ minLength: 1, maxLength: 128 }) });

// A look page token is the last look's id, base64url: opaque to clients, checked on the way in.
const encodeLookToken = (look_id: string) => Buffer.from(look_id).toString('base64url');

function decodeLookToken(token: string | undefined): string | null {
  if (token === undefined) return null;
  const look_id = Buffer.from(token, 'base64url').toString('utf8');
  if (findLook(look_id) === null) {
    throw httpError('invalid_parameter', 'Invalid pagination token.', { param: 'token' });
  }
  return look_id;
}

export const avatarRoutes: FastifyPluginAsync<RouteOptions> = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/v3/avatars/looks', { schema: { querystring: ListLooksQuery } }, async (request) => {
    const query = request.query;
    const page = listLooks({
      avatar_type: query.avatar_type ?? null,
      group_id: query.group_id ?? null,
      ownership: query.ownership ?? null,
      after_id: decodeLookToken(query.token),
      limit: query.limit,
    });
    const last = page.looks[page.looks.length - 1];
    const next_token = page.has_more && last !== undefined ? encodeLookToken(last.id) : null;
    return { data: page.looks, has_more: page.has_more, next_token };
  });

  app.get('/v3/avatars/looks/:look_id', { schema: { params: LookParams } }, async (request) => ({
    data: getLook(request.params.look_id),
  }));
};
