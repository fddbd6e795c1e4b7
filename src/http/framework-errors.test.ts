import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { clientErrorHandler } from './framework-errors.ts';

/** Sends raw bytes to a listening server and reads until it closes the connection. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parseRaw(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { head, body: JSON.parse(body) };
}

describe.each(dialects)('errors Node raises before Fastify on %s', (dialect) => {
  const t = useServer(dialect);

  it('a request that is not HTTP gets a 400 in the envelope with x-request-id', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const { head, body } = parseRaw(await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(body.error).toMatchObject({ code: 'invalid_parameter', param: null });
    expect(head).toContain(`x-request-id: ${body.request_id}`);
  });
});

describe('the client error handler', () => {
  it('a request timeout is a 408 request_timeout in the envelope', () => {
    let written = '';
    const socket = {
      destroyed: false,
      writable: true,
      end: (text: string) => {
        written = text;
      },
      destroy: () => undefined,
    };
    const err = Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    clientErrorHandler(() => 'req_test')(err, socket as never);
    const { head, body } = parseRaw(written);
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(body).toEqual({
      error: { code: 'request_timeout', message: expect.any(String), param: null, doc_url: null },
      request_id: 'req_test',
    });
  });
});
