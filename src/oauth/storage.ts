/**
 * oidc-provider's storage adapter over our database (both dialects). One row per model and id in
 * `oauth_payloads`; ids are stored as their SHA-256, so reading the table yields no usable token.
 * Expiry is honoured on every read with our clock (`expires_at_ms`), so a fake clock in tests
 * expires tokens as it does bearer checks.
 * `consume` marks a code or a rotated refresh token used (the provider then refuses it and
 * revokes its grant); `revokeByGrantId` deletes every token of a grant. Clients come from
 * `oauth_clients` (read-only here: the operator manages them).
 */
import { createHash } from 'node:crypto';
import type { BaseContext } from '../context.ts';
import { findOAuthClientRow } from './clients.ts';

/** What oidc-provider stores: a JSON object with a few fields the adapter indexes. */
type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

/** oidc-provider's adapter interface (`lib/adapters/memory_adapter.js`). */
export type StorageAdapter = {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
};

export function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** The factory oidc-provider calls once per model name. */
export function createStorageAdapter(ctx: BaseContext): (model: string) => StorageAdapter {
  return (model) => (model === 'Client' ? clientAdapter(ctx) : payloadAdapter(ctx, model));
}

function payloadAdapter(ctx: BaseContext, model: string): StorageAdapter {
  const live = () =>
    ctx.db
      .selectFrom('oauth_payloads')
      .select(['payload', 'consumed_at_ms'])
      .where('model', '=', model)
      .where((eb) =>
        eb.or([eb('expires_at_ms', 'is', null), eb('expires_at_ms', '>', ctx.clock.now_ms())]),
      );
  const read = (row: { payload: string; consumed_at_ms: bigint | null } | undefined) => {
    if (row === undefined) return undefined;
    const payload = JSON.parse(row.payload) as Payload;
    if (row.consumed_at_ms !== null) payload.consumed = Number(row.consumed_at_ms / 1000n);
    return payload;
  };
  return {
    async upsert(id, payload, expiresIn) {
      const row = {
        model,
        id_hash: hashId(id),
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        expires_at_ms:
          expiresIn === undefined ? null : ctx.clock.now_ms() + BigInt(expiresIn) * 1000n,
        consumed_at_ms: null,
      };
      await ctx.db
        .insertInto('oauth_payloads')
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(['model', 'id_hash']).doUpdateSet({
            payload: row.payload,
            grant_id: row.grant_id,
            uid: row.uid,
            user_code: row.user_code,
            expires_at_ms: row.expires_at_ms,
          }),
        )
        .execute();
    },
    async find(id) {
      return read(await live().where('id_hash', '=', hashId(id)).executeTakeFirst());
    },
    async findByUid(uid) {
      return read(await live().where('uid', '=', uid).executeTakeFirst());
    },
    async findByUserCode(userCode) {
      return read(await live().where('user_code', '=', userCode).executeTakeFirst());
    },
    async consume(id) {
      await ctx.db
        .updateTable('oauth_payloads')
        .set({ consumed_at_ms: ctx.clock.now_ms() })
        .where('model', '=', model)
        .where('id_hash', '=', hashId(id))
        .execute();
    },
    async destroy(id) {
      await ctx.db
        .deleteFrom('oauth_payloads')
        .where('model', '=', model)
        .where('id_hash', '=', hashId(id))
        .execute();
    },
    async revokeByGrantId(grantId) {
      await ctx.db.deleteFrom('oauth_payloads').where('grant_id', '=', grantId).execute();
    },
  };
}

function clientAdapter(ctx: BaseContext): StorageAdapter {
  const readOnly = async () => {
    throw new Error('OAuth clients are managed by the operator API, not by the provider');
  };
  return {
    async find(client_id) {
      const row = await findOAuthClientRow(ctx, client_id);
      if (row === null) return undefined;
      const confidential = row.client_type === 'confidential';
      return {
        client_id: row.id,
        client_name: row.name,
        redirect_uris: JSON.parse(row.redirect_uris) as string[],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: confidential ? 'client_secret_post' : 'none',
        ...(confidential ? { client_secret: row.client_secret } : {}),
      };
    },
    upsert: readOnly,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: async () => {},
  };
}
