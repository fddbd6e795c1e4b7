import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { buildServer } from './server.ts';

/** A pino logger at `level` whose lines are collected in `lines`. */
function collectingLogger(level: string) {
  const lines: { msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: pino({ level }, stream), lines };
}

describe.each(dialects)('request logging on %s', (dialect) => {
  const t = useTestContext(dialect);

  it('at the default info level a request writes no per-request log line', async () => {
    const { log, lines } = collectingLogger('info');
    const app = buildServer({ ...t.ctx, log });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
    expect(lines.map((line) => line.msg)).not.toContain('request completed');
    expect(lines.map((line) => line.msg)).not.toContain('incoming request');
  });

  it('at debug level each request is logged when received and when completed', async () => {
    const { log, lines } = collectingLogger('debug');
    const app = buildServer({ ...t.ctx, log });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain('incoming request');
    expect(messages).toContain('request completed');
  });
});
