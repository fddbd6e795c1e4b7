/**
 * Helpers for avatar-creation and Text-to-Speech tests: request bodies of known price and the
 * avatar and speech APIs through `inject()`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Customer } from './customers.ts';

/** Every avatar creation is held and charged $1.00, whatever its type. */
export const AVATAR_CREATION_MICRO_USD = 1_000_000n;

export const PHOTO_AVATAR = {
  type: 'photo',
  name: 'Ada at her desk',
  file: { type: 'url', url: 'https://media.example/ada.jpg' },
};
export const DIGITAL_TWIN = {
  type: 'digital_twin',
  name: 'Ada (twin)',
  file: { type: 'asset_id', asset_id: 'asset_footage' },
};
/** A prompt avatar is a photo avatar, priced on that row. */
export const PROMPT_AVATAR = {
  type: 'prompt',
  name: 'Ada imagined',
  prompt: 'A friendly engineer in a bright office',
};

/** 150 characters: spoken in 10 s at speed 1 ($0.00667), held at 10 chars/s, 15 s ($0.010005). */
export const SPEECH_150_CHARS = {
  text: 'Hello from Tollgate! '.repeat(8).slice(0, 150),
  voice_id: 'voice_en_olivia',
};
export const SPEECH_150_CHARS_MICRO_USD = 6_670n;
export const SPEECH_150_CHARS_HOLD_MICRO_USD = 10_005n;

export function avatarApi(app: FastifyInstance, customer: Customer) {
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: customer.headers, ...(payload ? { payload } : {}) });
  return {
    create: (body: object): Promise<LightMyRequestResponse> => call('POST', '/v3/avatars', body),
    groups: (query = '') => call('GET', `/v3/avatars${query}`),
    looks: (query = '') => call('GET', `/v3/avatars/looks${query}`),
    look: (look_id: string) => call('GET', `/v3/avatars/looks/${look_id}`),
    remove: (look_id: string) => call('DELETE', `/v3/avatars/looks/${look_id}`),
    speak: (body: object) => call('POST', '/v3/voices/speech', body),
  };
}
