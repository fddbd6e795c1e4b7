import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('censors secret headers and secret body fields wherever a log call carries them', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        out += chunk.toString();
        callback();
      },
    });
    const log = createLogger('debug', sink);
    const headers = {
      'x-api-key': 'SECRET-1',
      authorization: 'Bearer SECRET-2',
      cookie: 'session=SECRET-3',
      'stripe-signature': 't=1,v1=SECRET-4',
      'content-type': 'application/json',
    };
    log.info({ req: { method: 'POST', headers } }, 'incoming');
    log.info({ headers }, 'outbound');
    log.info({ res: { headers: { 'set-cookie': 'SECRET-5' } } }, 'answered');
    log.debug({ body: { card_number: 'SECRET-6', webhook_secret: 'SECRET-7', name: 'kept' } });
    log.warn({ api_key: 'SECRET-8', admin_token: 'SECRET-9' }, 'oops');
    expect(out).not.toMatch(/SECRET-\d/);
    expect(out).toContain('application/json');
    expect(out).toContain('kept');
    expect(out.split('\n').filter(Boolean)).toHaveLength(5);
  });
});
