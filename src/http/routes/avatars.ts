/**
 * HeyGen's avatar routes (API.md §9): create an avatar (`POST /v3/avatars`, a training job),
 * list avatar groups (`GET /v3/avatars`), list and get looks (`GET /v3/avatars/looks[/{look_id}]`)
 * and delete a look. Public demo looks come first, then the account's own; another account's
 * look is not found. Each route is schema → one domain call → HeyGen's envelope.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { findLookFor, isKnownCursor, listGroupsFor, listLooksFor } from '../../avatars/catalog.ts';
import { createAvatar } from '../../avatars/create.ts';
import { AVATAR_TRAINING_KIND } from '../../avatars/looks.ts';
import { decodeOwnedCursor, encodeOwnedCursor, type OwnedCursor } from '../../avatars/pages.ts';
import type { CatalogErrorCode } from '../../catalog/errors.ts';
import { findLook } from '../../catalog/looks.ts';
import { deleteJob } from '../../jobs/cancel.ts';
import { prepareAdmission } from '../../jobs/submit.ts';
import { AVATAR_TRAINING_PRODUCT } from '../../products/avatar-training.ts';
import { DomainError } from '../../shared/errors.ts';
import { accountIdOf, payerOf } from '../auth-hook.ts';
import { httpError } from '../errors.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import {
  CreateAvatarBody,
  ListGroupsQuery,
  ListLooksQuery,
  LookParams,
  renderCreatedAvatar,
  toCreateAvatarInput,
} from '../schemas/avatars.ts';
import { dataOf, ok, pageOf } from '../schemas/envelope.ts';
import { AvatarCreated, AvatarGroup, AvatarLook, Deleted } from '../schemas/v3-responses.ts';
import type { RouteOptions } from '../server.ts';

function decodeToken(token: string | undefined, kind: 'look' | 'group'): OwnedCursor | null {
  if (token === undefined) return null;
  const cursor = decodeOwnedCursor(token);
  if (cursor === null || !isKnownCursor(cursor, kind)) {
    throw httpError('invalid_parameter', 'Invalid pagination token.', { param: 'token' });
  }
  return cursor;
}

function lookNotFound(look_id: string) {
  return new DomainError<CatalogErrorCode>('look_not_found', `Avatar look ${look_id} not found.`, {
    param: 'look_id',
  });
}

export const avatarRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v3/avatars',
    { schema: { body: CreateAvatarBody, response: ok(AvatarCreated) } },
    async (request) => {
      const input = toCreateAvatarInput(request.body);
      const admission = await prepareAdmission(ctx.db, AVATAR_TRAINING_PRODUCT, {
        ...payerOf(request),
        input,
      });
      return idempotentWrite(ctx, request, {
        write: (tx) => createAvatar(tx, admission),
        render: (created) => ({ data: renderCreatedAvatar(created) }),
      });
    },
  );

  app.get(
    '/v3/avatars',
    { schema: { querystring: ListGroupsQuery, response: ok(pageOf(AvatarGroup)) } },
    async (request) => {
      const { ownership, limit, token } = request.query;
      const page = await listGroupsFor(ctx.db, {
        account_id: accountIdOf(request),
        ownership: ownership ?? null,
        after: decodeToken(token, 'group'),
        limit,
      });
      const next_token = page.next === null ? null : encodeOwnedCursor(page.next);
      return { data: page.items, has_more: next_token !== null, next_token };
    },
  );

  app.get(
    '/v3/avatars/looks',
    { schema: { querystring: ListLooksQuery, response: ok(pageOf(AvatarLook)) } },
    async (request) => {
      const query = request.query;
      const page = await listLooksFor(ctx.db, {
        account_id: accountIdOf(request),
        avatar_type: query.avatar_type ?? null,
        group_id: query.group_id ?? null,
        ownership: query.ownership ?? null,
        after: decodeToken(query.token, 'look'),
        limit: query.limit,
      });
      const next_token = page.next === null ? null : encodeOwnedCursor(page.next);
      return { data: page.items, has_more: next_token !== null, next_token };
    },
  );

  app.get(
    '/v3/avatars/looks/:look_id',
    { schema: { params: LookParams, response: ok(dataOf(AvatarLook)) } },
    async (request) => {
      const { look_id } = request.params;
      const look = await findLookFor(ctx.db, { account_id: accountIdOf(request), look_id });
      if (look === null) throw lookNotFound(look_id);
      return { data: look };
    },
  );

  app.delete(
    '/v3/avatars/looks/:look_id',
    { schema: { params: LookParams, response: ok(Deleted) } },
    async (request) => {
      const { look_id } = request.params;
      if (findLook(look_id) !== null) {
        throw new DomainError<CatalogErrorCode>(
          'look_not_deletable',
          `Avatar look ${look_id} is a public look; only your own looks can be deleted.`,
          { param: 'look_id' },
        );
      }
      const ref = { account_id: accountIdOf(request), kind: AVATAR_TRAINING_KIND, job_id: look_id };
      const deleted = await deleteJob(ctx, ref);
      return { data: { id: deleted.id } };
    },
  );
};
