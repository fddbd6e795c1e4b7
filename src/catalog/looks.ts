/**
 * The avatar catalog: the demo looks this gateway offers, in HeyGen's `AvatarLook` shape (the look
 * id is the `avatar_id` a video request names). A look's `avatar_type` chooses the rate card row
 * of its videos, and `supported_api_engines` the engines it may render with. The catalog is a
 * static, frozen list: lookups are pure, listings are ordered and bounded by the caller's limit.
 */
import { DomainError } from '../shared/errors.ts';
import type { CatalogErrorCode } from './errors.ts';

export type AvatarType = 'studio_avatar' | 'digital_twin' | 'photo_avatar';
export type ApiEngine = 'avatar_v' | 'avatar_iv' | 'avatar_iii';
export const AVATAR_TYPES: readonly AvatarType[] = [
  'studio_avatar',
  'digital_twin',
  'photo_avatar',
];

/** Training status of an account's own (private) look; public looks have none. */
export type LookStatus = 'processing' | 'pending_consent' | 'failed' | 'completed';

export type AvatarLook = {
  readonly id: string;
  readonly name: string;
  readonly avatar_type: AvatarType;
  readonly group_id: string;
  readonly default_voice_id: string | null;
  readonly gender: 'female' | 'male' | null;
  readonly preview_image_url: string | null;
  readonly preview_video_url: string | null;
  readonly preferred_orientation: 'portrait' | 'landscape' | 'square';
  readonly image_width: number | null;
  readonly image_height: number | null;
  /** Training status: only private looks have one, so every demo look has `null`. */
  readonly status: LookStatus | null;
  readonly supported_api_engines: readonly ApiEngine[];
  readonly tags: readonly string[];
  readonly error: { code: string; message: string } | null;
};

const PREVIEW_BASE_URL = 'https://demo.tollgate.example/avatars';

// Avatar V renders digital twins and photo avatars (photo looks borrow a sibling), not studio
// avatars; every look can render with Avatar III for accounts allowed to use it.
export const LOOK_ENGINES: Record<AvatarType, readonly ApiEngine[]> = {
  studio_avatar: ['avatar_iv', 'avatar_iii'],
  digital_twin: ['avatar_v', 'avatar_iv', 'avatar_iii'],
  photo_avatar: ['avatar_v', 'avatar_iv', 'avatar_iii'],
};

type Seed = [id: string, name: string, avatar_type: AvatarType, gender: 'female' | 'male'];

const SEEDS: readonly Seed[] = [
  ['look_studio_anna', 'Anna in the studio', 'studio_avatar', 'female'],
  ['look_studio_marcus', 'Marcus in the studio', 'studio_avatar', 'male'],
  ['look_studio_priya', 'Priya at the news desk', 'studio_avatar', 'female'],
  ['look_twin_sofia', 'Sofia (digital twin)', 'digital_twin', 'female'],
  ['look_twin_kenji', 'Kenji (digital twin)', 'digital_twin', 'male'],
  ['look_twin_amara', 'Amara (digital twin)', 'digital_twin', 'female'],
  ['look_photo_lena', 'Lena (photo avatar)', 'photo_avatar', 'female'],
  ['look_photo_omar', 'Omar (photo avatar)', 'photo_avatar', 'male'],
  ['look_photo_ines', 'Ines (photo avatar)', 'photo_avatar', 'female'],
];

function toLook([id, name, avatar_type, gender]: Seed): AvatarLook {
  const portrait = avatar_type === 'photo_avatar';
  return Object.freeze({
    id,
    name,
    avatar_type,
    group_id: `group_${id.slice('look_'.length)}`,
    default_voice_id: `voice_${gender}_default`,
    gender,
    preview_image_url: `${PREVIEW_BASE_URL}/${id}/preview.jpg`,
    preview_video_url: `${PREVIEW_BASE_URL}/${id}/preview.mp4`,
    preferred_orientation: portrait ? 'portrait' : 'landscape',
    image_width: portrait ? 1080 : 1920,
    image_height: portrait ? 1920 : 1080,
    status: null,
    supported_api_engines: LOOK_ENGINES[avatar_type],
    tags: ['demo', avatar_type],
    error: null,
  });
}

export const DEMO_LOOKS: readonly AvatarLook[] = Object.freeze(SEEDS.map(toLook));

/** The look with `look_id`, or `null`. */
export function findLook(look_id: string): AvatarLook | null {
  return DEMO_LOOKS.find((look) => look.id === look_id) ?? null;
}

/** The look with `look_id`, or `look_not_found` naming `param`. */
export function getLook(look_id: string, param = 'look_id'): AvatarLook {
  const look = findLook(look_id);
  if (look === null) {
    throw new DomainError<CatalogErrorCode>('look_not_found', `Avatar look ${look_id} not found.`, {
      param,
    });
  }
  return look;
}

export type LookFilter = {
  avatar_type: AvatarType | null;
  group_id: string | null;
  ownership: 'public' | 'private' | null;
  /** Return looks after this id, in catalog order (the decoded page token). */
  after_id: string | null;
  limit: number;
};

/**
 * One page of looks in catalog order: at most `limit`, and whether more follow. `after_id` must
 * be a catalog look id (the route checks the page token before calling).
 */
export function listLooks(filter: LookFilter): { looks: AvatarLook[]; has_more: boolean } {
  const afterIndex =
    filter.after_id === null ? -1 : DEMO_LOOKS.findIndex((look) => look.id === filter.after_id);
  // Demo looks are all public: a `private` listing is empty.
  const rest = DEMO_LOOKS.filter(
    (look, index) =>
      index > afterIndex &&
      filter.ownership !== 'private' &&
      (filter.avatar_type === null || look.avatar_type === filter.avatar_type) &&
      (filter.group_id === null || look.group_id === filter.group_id),
  );
  return { looks: rest.slice(0, filter.limit), has_more: rest.length > filter.limit };
}
