/**
 * Helpers for video translation and proofread tests: request bodies of known price (one output
 * language each, unless said) and the translation and proofread APIs through `inject()`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Customer } from './customers.ts';

const source = (fragment: string) => ({
  type: 'url',
  url: `https://media.example/talk.mp4${fragment}`,
});

/** Speed, audio only, source marked 90 s: 90 s × $0.0167 = $1.503. */
export const SPEED_AUDIO_ONLY = {
  video: source('#simulate:duration=90'),
  output_languages: ['Spanish (Spain)'],
  translate_audio_only: true,
};
export const SPEED_AUDIO_ONLY_MICRO_USD = 1_503_000n;

/** Speed lip sync, source declared 45 s (asset, no marker): 45 s × $0.0333 = $1.4985. */
export const SPEED_LIP_SYNC = {
  video: { type: 'asset_id', asset_id: 'asset_talk' },
  output_languages: ['French'],
  video_duration_ms: 45_000,
};
export const SPEED_LIP_SYNC_MICRO_USD = 1_498_500n;

/** Precision lip sync, source marked 12.5 s: 12.5 s × $0.0667 = $0.83375. */
export const PRECISION_LIP_SYNC = {
  video: source('#simulate:duration=12.5'),
  output_languages: ['Japanese'],
  mode: 'precision',
};
export const PRECISION_LIP_SYNC_MICRO_USD = 833_750n;

/** A source of unknown length. */
export const UNKNOWN_LENGTH = { video: source(''), output_languages: ['German'] };

/** A proofread of a source marked 120 s, in two languages. */
export const PROOFREAD_TWO_LANGUAGES = {
  video: source('#simulate:duration=120'),
  output_languages: ['Spanish (Spain)', 'German'],
  title: 'Quarterly update',
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function caller(app: FastifyInstance, customer: Customer) {
  return (method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: customer.headers, ...(payload ? { payload } : {}) });
}

export function translationApi(app: FastifyInstance, customer: Customer) {
  const call = caller(app, customer);
  const base = '/v3/video-translations';
  return {
    create: (body: object) => call('POST', base, body),
    get: (id: string) => call('GET', `${base}/${id}`),
    list: (query = '') => call('GET', `${base}${query}`),
    rename: (id: string, body: object) => call('PATCH', `${base}/${id}`, body),
    remove: (id: string) => call('DELETE', `${base}/${id}`),
    languages: () => call('GET', `${base}/languages`),
  };
}

export function proofreadApi(app: FastifyInstance, customer: Customer) {
  const call = caller(app, customer);
  const base = '/v3/video-translations/proofreads';
  return {
    create: (body: object) => call('POST', base, body),
    get: (id: string) => call('GET', `${base}/${id}`),
    srt: (id: string) => call('GET', `${base}/${id}/srt`),
    generate: (id: string, body: object = {}) => call('POST', `${base}/${id}/generate`, body),
  };
}
