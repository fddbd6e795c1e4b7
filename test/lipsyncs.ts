/**
 * Helpers for lipsync tests: request bodies of known price and the lipsync API through `inject()`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Customer } from './customers.ts';

/** Speed mode, new audio marked 12.5 s: held and charged 12.5 s × $0.0333 = $0.41625. */
export const SPEED_MARKED = {
  video: { type: 'url', url: 'https://media.example/talk.mp4' },
  audio: { type: 'url', url: 'https://media.example/new.mp3#simulate:duration=12.5' },
};
export const SPEED_MARKED_MICRO_USD = 416_250n;

/** Precision mode, declared 9 s of audio: held and charged 9 s × $0.0667 = $0.6003. */
export const PRECISION_DECLARED = {
  video: { type: 'asset_id', asset_id: 'asset_talk' },
  audio: { type: 'asset_id', asset_id: 'asset_new_audio' },
  mode: 'precision',
  audio_duration_ms: 9_000,
};
export const PRECISION_DECLARED_MICRO_USD = 600_300n;

export function lipsyncApi(app: FastifyInstance, customer: Customer) {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: customer.headers, ...(payload ? { payload } : {}) });
  return {
    create: (body: object): Promise<LightMyRequestResponse> => call('POST', '/v3/lipsyncs', body),
    get: (id: string) => call('GET', `/v3/lipsyncs/${id}`),
    list: (query = '') => call('GET', `/v3/lipsyncs${query}`),
    rename: (id: string, body: object) => call('PATCH', `/v3/lipsyncs/${id}`, body),
    remove: (id: string) => call('DELETE', `/v3/lipsyncs/${id}`),
  };
}
