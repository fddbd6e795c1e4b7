/**
 * Wire schemas of the avatar routes (API.md §9): the body of `POST /v3/avatars` (also a body of
 * `POST /billing/v1/quote?product=avatars`), list queries and path parameters, and the renderings
 * of a created avatar and of a look's deletion. Rules between fields are the product's
 * (`products/avatar-training.ts`). Media inputs take `url` or `asset_id` (no `base64`).
 */
import { type Static, Type } from 'typebox';
import type { CreatedAvatar } from '../../avatars/create.ts';
import { AVATAR_TYPES } from '../../catalog/looks.ts';
import type { CreateAvatarInput } from '../../products/avatar-training.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { ID } from './bounds.ts';
import { MediaInputSchema } from './lipsyncs.ts';
import { nullableString } from './nullable.ts';

/** HeyGen: a prompt avatar's prompt is at most 1,000 characters, with up to 3 reference images. */
export const AVATAR_PROMPT_CHARS_MAX = 1_000;
export const REFERENCE_IMAGES_MAX = 3;
const LOOKS_LIMIT_MAX = 50;
const LOOKS_LIMIT_DEFAULT = 20;

export const CreateAvatarBody = Type.Object({
  type: Type.Enum(['photo', 'digital_twin', 'prompt']),
  name: Type.String({ minLength: 1, maxLength: 255 }),
  file: Type.Optional(
    Type.Unsafe<Static<typeof MediaInputSchema> | null>({
      ...MediaInputSchema,
      type: ['object', 'null'],
    }),
  ),
  prompt: nullableString({ minLength: 1, maxLength: AVATAR_PROMPT_CHARS_MAX }),
  reference_images: Type.Optional(
    Type.Unsafe<Static<typeof MediaInputSchema>[] | null>({
      type: ['array', 'null'],
      items: MediaInputSchema,
      maxItems: REFERENCE_IMAGES_MAX,
    }),
  ),
  avatar_group_id: nullableString(ID),
  avatar_id: nullableString(ID),
});

// The wire schema and the domain's input type must describe the same body.
export type CreateAvatarBody = Static<typeof CreateAvatarBody>;
export const toCreateAvatarInput = (body: CreateAvatarBody): CreateAvatarInput => body;

const Page = {
  limit: Type.Integer({ minimum: 1, maximum: LOOKS_LIMIT_MAX, default: LOOKS_LIMIT_DEFAULT }),
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
};
const Ownership = Type.Optional(Type.Enum(['public', 'private']));

export const ListLooksQuery = Type.Object({
  avatar_type: Type.Optional(Type.Enum(AVATAR_TYPES)),
  group_id: Type.Optional(Type.String(ID)),
  ownership: Ownership,
  ...Page,
});

export const ListGroupsQuery = Type.Object({ ownership: Ownership, ...Page });

export const LookParams = Type.Object({ look_id: Type.String(ID) });

/** HeyGen's create response: the new look and its group, with Tollgate's `billing` beside. */
export function renderCreatedAvatar(created: CreatedAvatar) {
  const job = created.job;
  return {
    avatar_item: created.look,
    avatar_group: created.group,
    billing: {
      rate_card_version: job.rate_card_version,
      sku: job.sku,
      hold_amount_micro_usd: job.hold_amount_micro_usd,
      hold_amount_usd: formatMicroUsd(job.hold_amount_micro_usd),
    },
  };
}
