/**
 * The output languages video translation offers (`GET /v3/video-translations/languages`), named
 * as HeyGen names them ("Spanish (Spain)", "English"): the names clients send in
 * `output_languages`. A static, frozen, ordered list; `isTranslationLanguage` is the one check
 * every translation and proofread request goes through. Matching is exact, as HeyGen's is.
 */

export const TRANSLATION_LANGUAGES: readonly string[] = Object.freeze([
  'Arabic',
  'Chinese (Cantonese, Traditional)',
  'Chinese (Mandarin, Simplified)',
  'Czech',
  'Danish',
  'Dutch',
  'English',
  'English (United Kingdom)',
  'English (United States)',
  'Filipino',
  'Finnish',
  'French',
  'French (Canada)',
  'German',
  'Greek',
  'Hebrew',
  'Hindi',
  'Hungarian',
  'Indonesian',
  'Italian',
  'Japanese',
  'Korean',
  'Malay',
  'Norwegian',
  'Polish',
  'Portuguese (Brazil)',
  'Portuguese (Portugal)',
  'Romanian',
  'Russian',
  'Spanish (Mexico)',
  'Spanish (Spain)',
  'Swedish',
  'Thai',
  'Turkish',
  'Ukrainian',
  'Vietnamese',
]);

const KNOWN = new Set(TRANSLATION_LANGUAGES);

/** Whether video translation can produce `name` (exact match). */
export function isTranslationLanguage(name: string): boolean {
  return KNOWN.has(name);
}
