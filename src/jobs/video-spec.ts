/**
 * Turns a video request body into the facts admission prices and the engine renders: which
 * looks, which engine and resolution, and where the speech comes from. This module owns the
 * rules between fields that a JSON schema cannot state (exactly one visual source, exactly one
 * speech source, cinematic limits), each failing with `invalid_job_request` naming the field,
 * and resolves look ids against the catalog and the account's own looks, which the caller loads
 * (`avatar_not_found`; a look still training is a 400 naming the field). Pure: no clock, no
 * database.
 */
import { type AvatarLook, findLook } from '../catalog/looks.ts';
import { requireVoice } from '../catalog/voices.ts';
import type { AvatarEngine, Resolution } from '../pricing/usage.ts';
import { jobError } from './errors.ts';
import {
  ASSET_INPUT_FIELDS,
  type AssetInput,
  CINEMATIC_DURATION_S_DEFAULT,
  CINEMATIC_LOOKS_MAX,
  type CreateVideoInput,
  countChars,
  type OutputFormat,
} from './video-input.ts';

export type Speech =
  | { kind: 'script'; char_count: number; voice_id: string | null; speed: number }
  | { kind: 'audio'; declared_duration_ms: bigint | null };

type Common = { test: boolean; output_format: OutputFormat };

export type VideoSpec = Common &
  (
    | {
        type: 'avatar';
        look: AvatarLook;
        engine: AvatarEngine;
        resolution: Resolution;
        speech: Speech;
      }
    | { type: 'image'; engine: AvatarEngine; resolution: Resolution; speech: Speech }
    | { type: 'cinematic_avatar'; looks: AvatarLook[]; resolution: Resolution; duration_s: number }
  );

const present = (value: unknown) => value !== undefined && value !== null;

/** Checks the rules between fields and resolves look ids; throws naming the offending field. */
export function parseVideoInput(
  input: CreateVideoInput,
  accountLooks: ReadonlyMap<string, AvatarLook> = new Map(),
): VideoSpec {
  const common: Common = { test: input.test === true, output_format: input.output_format ?? 'mp4' };
  switch (input.type) {
    case 'avatar':
      return { ...common, ...parseAvatar(input, accountLooks) };
    case 'image':
      return { ...common, ...parseImage(input) };
    case 'cinematic_avatar':
      return { ...common, ...parseCinematic(input, accountLooks), output_format: 'mp4' };
    default:
      throw jobError(
        'invalid_job_request',
        `Video type '${input.type}' is not supported by this gateway; use avatar, image or ` +
          'cinematic_avatar.',
        'type',
      );
  }
}

/** The look ids a request names that are not demo looks (the caller loads the account's). */
export function privateLookIds(input: CreateVideoInput): string[] {
  const ids = Array.isArray(input.avatar_id) ? input.avatar_id : [input.avatar_id];
  return ids.filter((id): id is string => typeof id === 'string' && findLook(id) === null);
}

function parseAvatar(input: CreateVideoInput, accountLooks: ReadonlyMap<string, AvatarLook>) {
  if (typeof input.avatar_id !== 'string') {
    throw jobError(
      'invalid_job_request',
      'Exactly one visual source required: avatar_id, image_url, or image_asset_id.',
      'avatar_id',
    );
  }
  for (const field of ['image', 'image_url', 'image_asset_id'] as const) {
    if (present(input[field])) {
      throw jobError(
        'invalid_job_request',
        `Exactly one visual source required: avatar_id and ${field} are mutually exclusive.`,
        field,
      );
    }
  }
  const look = lookOf(input.avatar_id, 'avatar_id', accountLooks);
  const engine = input.engine?.type ?? 'avatar_iv';
  // Avatar III is on every look; who may use it is pricing's eligibility rule, checked later.
  if (!look.supported_api_engines.includes(engine)) {
    throw jobError(
      'invalid_job_request',
      `Avatar look ${look.id} (${look.avatar_type}) does not support engine ${engine}; ` +
        `supported: ${look.supported_api_engines.join(', ')}.`,
      'engine.type',
    );
  }
  const speech = parseSpeech(input, { default_voice: true });
  return { type: 'avatar' as const, look, engine, resolution: input.resolution ?? '1080p', speech };
}

function parseImage(input: CreateVideoInput) {
  if (present(input.avatar_id)) {
    throw jobError(
      'invalid_job_request',
      "Type 'image' animates an image; avatar_id belongs to type 'avatar'.",
      'avatar_id',
    );
  }
  const sources = (['image', 'image_url', 'image_asset_id'] as const).filter((field) =>
    present(input[field]),
  );
  if (sources.length !== 1) {
    throw jobError(
      'invalid_job_request',
      'Exactly one visual source required: image, image_url, or image_asset_id.',
      sources[1] ?? 'image',
    );
  }
  if (input.image) checkAssetInput(input.image, 'image');
  const engine = input.engine?.type ?? 'avatar_iv';
  if (engine === 'avatar_iii') {
    throw jobError(
      'invalid_job_request',
      'Avatar III is not supported for raw image input; use avatar_iv or avatar_v.',
      'engine.type',
    );
  }
  const speech = parseSpeech(input, { default_voice: false });
  return { type: 'image' as const, engine, resolution: input.resolution ?? '1080p', speech };
}

function checkAssetInput(asset: AssetInput, param: string): void {
  for (const field of ASSET_INPUT_FIELDS[asset.type]) {
    if (!present(asset[field])) {
      throw jobError(
        'invalid_job_request',
        `${param} of type '${asset.type}' needs ${field}.`,
        `${param}.${field}`,
      );
    }
  }
}

function parseSpeech(input: CreateVideoInput, options: { default_voice: boolean }): Speech {
  const sources = (['script', 'audio_url', 'audio_asset_id'] as const).filter((field) =>
    present(input[field]),
  );
  if (sources.length !== 1) {
    throw jobError(
      'invalid_job_request',
      'Exactly one speech source required: script (with voice_id), audio_url, or audio_asset_id.',
      sources[1] ?? 'script',
    );
  }
  if (sources[0] === 'script') {
    if (present(input.audio_duration_ms)) {
      throw jobError(
        'invalid_job_request',
        'audio_duration_ms describes an audio input; this request has a script.',
        'audio_duration_ms',
      );
    }
    if (!options.default_voice && !present(input.voice_id)) {
      throw jobError(
        'invalid_job_request',
        'voice_id is required with a script when no avatar (with a default voice) is given.',
        'voice_id',
      );
    }
    if (present(input.voice_id)) requireVoice(input.voice_id!, { param: 'voice_id' });
    return {
      kind: 'script',
      char_count: countChars(input.script ?? ''),
      voice_id: input.voice_id ?? null,
      speed: input.voice_settings?.speed ?? 1,
    };
  }
  const declared = input.audio_duration_ms;
  return { kind: 'audio', declared_duration_ms: present(declared) ? BigInt(declared!) : null };
}

function parseCinematic(input: CreateVideoInput, accountLooks: ReadonlyMap<string, AvatarLook>) {
  const ids: unknown = input.avatar_id;
  if (
    !Array.isArray(ids) ||
    ids.length < 1 ||
    ids.length > CINEMATIC_LOOKS_MAX ||
    !ids.every((id) => typeof id === 'string')
  ) {
    throw jobError(
      'invalid_job_request',
      `cinematic_avatar needs avatar_id as an array of 1 to ${CINEMATIC_LOOKS_MAX} look ids.`,
      'avatar_id',
    );
  }
  if (!present(input.prompt)) {
    throw jobError('invalid_job_request', 'cinematic_avatar needs a prompt.', 'prompt');
  }
  for (const field of ['script', 'audio_url', 'audio_asset_id'] as const) {
    if (present(input[field])) {
      throw jobError(
        'invalid_job_request',
        `cinematic_avatar is driven by its prompt; ${field} is not accepted.`,
        field,
      );
    }
  }
  if (present(input.duration) && input.auto_duration === true) {
    throw jobError('invalid_job_request', 'Omit duration when auto_duration is true.', 'duration');
  }
  const resolution = input.resolution ?? '720p';
  if (resolution === '4k') {
    throw jobError(
      'invalid_job_request',
      '4K is not available for cinematic_avatar; choose 720p or 1080p.',
      'resolution',
    );
  }
  const looks = (ids as string[]).map((id, index) =>
    lookOf(id, `avatar_id[${index}]`, accountLooks),
  );
  const duration_s = input.duration ?? CINEMATIC_DURATION_S_DEFAULT;
  return { type: 'cinematic_avatar' as const, looks, resolution, duration_s };
}

function lookOf(
  look_id: string,
  param: string,
  accountLooks: ReadonlyMap<string, AvatarLook>,
): AvatarLook {
  const look = findLook(look_id) ?? accountLooks.get(look_id) ?? null;
  if (look === null) throw jobError('avatar_not_found', `Avatar ${look_id} not found.`, param);
  // A public look has no status; an account's own look renders once its training completed.
  if (look.status !== null && look.status !== 'completed') {
    const why = look.status === 'failed' ? 'failed training' : `is still training (${look.status})`;
    throw jobError(
      'invalid_job_request',
      `Avatar look ${look_id} ${why}; use it once its status is completed.`,
      param,
    );
  }
  return look;
}
