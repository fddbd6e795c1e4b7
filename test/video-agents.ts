/**
 * Helpers for Video Agent tests: request bodies of known price and the session API through
 * `inject()`. Video Agent is $0.0333/s (33,300 µUSD/s) of each video a session makes.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Customer } from './customers.ts';

/** Generate mode, prompt marked 12 s: held and charged 12 s × $0.0333 = $0.3996. */
export const GENERATE_MARKED = { prompt: 'A 12-second product teaser [simulate:duration=12]' };
export const GENERATE_MARKED_MICRO_USD = 399_600n;

/** No marker, no duration: held at the 300 s maximum ($9.99), rendered 30 s ($0.999). */
export const GENERATE_UNSIZED = { prompt: 'Explain our refund policy to new customers.' };
export const UNSIZED_HOLD_MICRO_USD = 9_990_000n;
export const UNSIZED_CHARGE_MICRO_USD = 999_000n;

/** Chat mode, first video marked 10 s ($0.333); a follow-up marked 20 s ($0.666). */
export const CHAT_MARKED = {
  prompt: 'Draft a 10-second intro [simulate:duration=10]',
  mode: 'chat',
};
export const CHAT_FIRST_MICRO_USD = 333_000n;
export const FOLLOW_UP = { message: 'Now a 20-second version [simulate:duration=20]' };
export const FOLLOW_UP_MICRO_USD = 666_000n;

export function videoAgentApi(app: FastifyInstance, customer: Customer) {
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: customer.headers, ...(payload ? { payload } : {}) });
  return {
    create: (body: object): Promise<LightMyRequestResponse> =>
      call('POST', '/v3/video-agents', body),
    get: (id: string) => call('GET', `/v3/video-agents/${id}`),
    list: (query = '') => call('GET', `/v3/video-agents${query}`),
    send: (id: string, body: object) => call('POST', `/v3/video-agents/${id}`, body),
    stop: (id: string) => call('POST', `/v3/video-agents/${id}/stop`, {}),
    videos: (id: string) => call('GET', `/v3/video-agents/${id}/videos`),
  };
}
