/**
 * The voice catalog: the public voices this gateway offers, in HeyGen's `AudioVoiceItem` shape
 * (`GET /v3/voices`) and voice detail shape (`GET /v3/voices/{voice_id}`). Every product that
 * takes a `voice_id` checks it here with `requireVoice`, which names the offending field; a voice
 * may also be required to support an engine (Text-to-Speech needs `starfish`). The catalog is a
 * static, frozen list: lookups are pure, listings are ordered and bounded by the caller's limit.
 * It has no private (cloned) voices, so a `private` listing is empty.
 */
import { DomainError } from '../shared/errors.ts';
import type { CatalogErrorCode } from './errors.ts';

/** `starfish` is HeyGen's Text-to-Speech engine; `standard` voices speak only in videos. */
export type VoiceEngine = 'starfish' | 'standard';
export type VoiceGender = 'female' | 'male';

export type Voice = {
  readonly voice_id: string;
  readonly name: string;
  /** HeyGen names languages in English ("English", "Spanish"), not by code. */
  readonly language: string;
  readonly gender: VoiceGender;
  readonly preview_audio_url: string;
  readonly support_pause: boolean;
  readonly support_locale: boolean;
  readonly support_interactive_avatar: boolean;
  readonly type: 'public';
  readonly engines: readonly VoiceEngine[];
};

const PREVIEW_BASE_URL = 'https://demo.tollgate.example/voices';
const STARFISH: readonly VoiceEngine[] = ['starfish', 'standard'];
const STANDARD: readonly VoiceEngine[] = ['standard'];

type Seed = [
  voice_id: string,
  name: string,
  language: string,
  gender: VoiceGender,
  engines: readonly VoiceEngine[],
];

// The two `*_default` voices are the demo looks' `default_voice_id`s (catalog/looks.ts).
const SEEDS: readonly Seed[] = [
  ['voice_female_default', 'Sara', 'English', 'female', STARFISH],
  ['voice_male_default', 'Daniel', 'English', 'male', STARFISH],
  ['voice_en_olivia', 'Olivia', 'English', 'female', STARFISH],
  ['voice_en_james', 'James', 'English', 'male', STANDARD],
  ['voice_es_lucia', 'Lucía', 'Spanish', 'female', STARFISH],
  ['voice_es_mateo', 'Mateo', 'Spanish', 'male', STANDARD],
  ['voice_fr_camille', 'Camille', 'French', 'female', STARFISH],
  ['voice_fr_louis', 'Louis', 'French', 'male', STANDARD],
  ['voice_de_lena', 'Lena', 'German', 'female', STANDARD],
  ['voice_de_jonas', 'Jonas', 'German', 'male', STARFISH],
  ['voice_ja_yui', 'Yui', 'Japanese', 'female', STARFISH],
  ['voice_ja_haruto', 'Haruto', 'Japanese', 'male', STANDARD],
  ['voice_pt_beatriz', 'Beatriz', 'Portuguese', 'female', STANDARD],
  ['voice_hi_arjun', 'Arjun', 'Hindi', 'male', STARFISH],
];

function toVoice([voice_id, name, language, gender, engines]: Seed): Voice {
  return Object.freeze({
    voice_id,
    name,
    language,
    gender,
    preview_audio_url: `${PREVIEW_BASE_URL}/${voice_id}/preview.mp3`,
    support_pause: true,
    support_locale: engines.includes('starfish'),
    support_interactive_avatar: false,
    type: 'public',
    engines,
  });
}

export const PUBLIC_VOICES: readonly Voice[] = Object.freeze(SEEDS.map(toVoice));

/** The voice with `voice_id`, or `null`. */
export function findVoice(voice_id: string): Voice | null {
  return PUBLIC_VOICES.find((voice) => voice.voice_id === voice_id) ?? null;
}

/** The voice with `voice_id`, or `voice_not_found` (a 404 for `GET /v3/voices/{voice_id}`). */
export function getVoice(voice_id: string): Voice {
  const voice = findVoice(voice_id);
  if (voice === null) {
    throw new DomainError<CatalogErrorCode>('voice_not_found', `Voice ${voice_id} not found.`, {
      param: 'voice_id',
    });
  }
  return voice;
}

/**
 * The voice a request names in the field `param`; `voice_not_usable` (a 400 naming `param`) when
 * the catalog has no such voice, or when `engine` is given and the voice does not support it.
 */
export function requireVoice(
  voice_id: string,
  options: { param: string; engine?: VoiceEngine },
): Voice {
  const voice = findVoice(voice_id);
  if (voice === null) {
    throw new DomainError<CatalogErrorCode>(
      'voice_not_usable',
      `Voice ${voice_id} not found; list the available voices with GET /v3/voices.`,
      { param: options.param },
    );
  }
  if (options.engine !== undefined && !voice.engines.includes(options.engine)) {
    throw new DomainError<CatalogErrorCode>(
      'voice_not_usable',
      `Voice ${voice_id} does not support the ${options.engine} engine; list the voices that ` +
        `do with GET /v3/voices?engine=${options.engine}.`,
      { param: options.param },
    );
  }
  return voice;
}

export type VoiceFilter = {
  type: 'public' | 'private' | null;
  /** Only voices that support this engine (any text; an unknown engine matches nothing). */
  engine: string | null;
  /** Language name, ignoring case ("english" matches "English"). */
  language: string | null;
  gender: string | null;
  /** Return voices after this id, in catalog order (the decoded page token). */
  after_id: string | null;
  limit: number;
};

/**
 * One page of voices in catalog order: at most `limit`, and whether more follow. `after_id` must
 * be a catalog voice id (the route checks the page token before calling).
 */
export function listVoices(filter: VoiceFilter): { voices: Voice[]; has_more: boolean } {
  const afterIndex =
    filter.after_id === null
      ? -1
      : PUBLIC_VOICES.findIndex((voice) => voice.voice_id === filter.after_id);
  const same = (wanted: string | null, actual: string) =>
    wanted === null || wanted.toLowerCase() === actual.toLowerCase();
  const rest = PUBLIC_VOICES.filter(
    (voice, index) =>
      index > afterIndex &&
      filter.type !== 'private' &&
      (filter.engine === null || voice.engines.some((engine) => engine === filter.engine)) &&
      same(filter.language, voice.language) &&
      same(filter.gender, voice.gender),
  );
  return { voices: rest.slice(0, filter.limit), has_more: rest.length > filter.limit };
}
