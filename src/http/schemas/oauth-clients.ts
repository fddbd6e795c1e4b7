/**
 * Schemas and renderers of OAuth clients (`/admin/v1/oauth-clients`): the create body and the
 * client as shown, its secret only in the create response.
 */
import { Type } from 'typebox';
import { type OAuthClient, REDIRECT_URIS_MAX } from '../../oauth/clients.ts';
import { dataOf, IsoInstant, Nullable } from './envelope.ts';
import { isoOf, nullableWithDefault } from './render.ts';

export const CreateOAuthClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    client_type: Type.Union([Type.Literal('public'), Type.Literal('confidential')], {
      default: 'public',
      description: '`public`: PKCE only (CLIs, apps); `confidential`: also a secret.',
    }),
    redirect_uris: Type.Array(Type.String({ minLength: 1, maxLength: 2_000 }), {
      minItems: 1,
      maxItems: REDIRECT_URIS_MAX,
    }),
    client_id: Type.Optional(
      nullableWithDefault(
        Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.-]{8,128}$' }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const ClientIdParams = Type.Object({
  client_id: Type.String({ minLength: 1, maxLength: 128 }),
});

const OAuthClientFields = {
  client_id: Type.String(),
  name: Type.String(),
  client_type: Type.Union([Type.Literal('public'), Type.Literal('confidential')]),
  redirect_uris: Type.Array(Type.String()),
  created_at_ms: Type.Integer({ description: 'Unix epoch milliseconds' }),
  created_at: IsoInstant,
};

export const OAuthClientBody = dataOf(Type.Object(OAuthClientFields));
export const OAuthClientList = dataOf(Type.Array(Type.Object(OAuthClientFields)));
export const OAuthClientCreated = dataOf(
  Type.Object({
    ...OAuthClientFields,
    client_secret: Nullable(
      Type.String({ description: 'Confidential clients: in this response only.' }),
    ),
  }),
);

export function renderOAuthClient(client: OAuthClient) {
  return { ...client, created_at: isoOf(client.created_at_ms) };
}
