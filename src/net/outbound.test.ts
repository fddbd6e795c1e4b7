import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.ts';
import { refusedRange } from './addresses.ts';
import {
  checkOutboundUrl,
  fetchChecked,
  fetchOutbound,
  pinnedLookup,
  REDIRECTS_MAX,
} from './outbound.ts';

const strict = { allow_private_urls: false };
const lenient = { allow_private_urls: true };
const bounds = { timeout_ms: 2_000, max_bytes: 1_024 };

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe('checkOutboundUrl with private URLs not allowed', () => {
  it.each([
    ['http://93.184.216.34/hook', 'plain http'],
    ['https://127.0.0.1/hook', 'IPv4 loopback'],
    ['https://127.1/hook', 'IPv4 loopback in short form'],
    ['https://2130706433/hook', 'IPv4 loopback as one number'],
    ['https://10.0.0.5/hook', 'RFC 1918 private'],
    ['https://172.16.0.1/hook', 'RFC 1918 private'],
    ['https://192.168.1.1/hook', 'RFC 1918 private'],
    ['https://100.64.0.1/hook', 'carrier-grade NAT'],
    ['https://169.254.169.254/latest/meta-data', 'link-local (cloud metadata)'],
    ['https://0.0.0.0/hook', 'IPv4 unspecified'],
    ['https://224.0.0.1/hook', 'IPv4 multicast'],
    ['https://255.255.255.255/hook', 'broadcast'],
    ['https://[::1]/hook', 'IPv6 loopback'],
    ['https://[::]/hook', 'IPv6 unspecified'],
    ['https://[fe80::1]/hook', 'IPv6 link-local'],
    ['https://[fc00::1]/hook', 'IPv6 unique-local'],
    ['https://[fd12:3456::1]/hook', 'IPv6 unique-local'],
    ['https://[ff02::1]/hook', 'IPv6 multicast'],
    ['https://[::ffff:127.0.0.1]/hook', 'IPv4-mapped loopback'],
    ['https://[::ffff:10.0.0.1]/hook', 'IPv4-mapped private'],
    ['https://[64:ff9b::7f00:1]/hook', 'NAT64 to loopback'],
    ['https://[2002:7f00:1::]/hook', '6to4 of loopback'],
    ['https://localhost/hook', 'a name resolving to loopback'],
    ['ftp://93.184.216.34/file', 'another scheme'],
    ['https://user:pass@93.184.216.34/hook', 'credentials in the URL'],
    ['not a url', 'no URL at all'],
  ])('%s (%s) is refused with outbound_url_refused naming the param', async (url) => {
    const err = await refusal(checkOutboundUrl(strict, url, { param: 'url' }));
    expect(err.code).toBe('outbound_url_refused');
    expect(err.param).toBe('url');
  });

  it.each(['https://93.184.216.34/hook', 'https://[2606:4700:4700::1111]/hook'])(
    '%s (public https) passes and comes back parsed',
    async (url) => {
      await expect(checkOutboundUrl(strict, url)).resolves.toEqual(new URL(url));
    },
  );

  it('classifies only public unicast addresses as allowed', () => {
    expect(refusedRange('8.8.8.8')).toBeNull();
    expect(refusedRange('2001:4860:4860::8888')).toBeNull();
    expect(refusedRange('::ffff:7f00:1')).toBe('loopback');
    expect(refusedRange('192.0.2.1')).toBe('reserved');
  });
});

describe('checkOutboundUrl with TOLLGATE_ALLOW_PRIVATE_URLS=1', () => {
  it('lets plain http and loopback through for development', async () => {
    const url = 'http://127.0.0.1:9/hook';
    await expect(checkOutboundUrl(lenient, url)).resolves.toEqual(new URL(url));
    await expect(checkOutboundUrl(lenient, 'http://localhost:9/')).resolves.toBeInstanceOf(URL);
  });

  it('still refuses schemes other than http and https', async () => {
    const err = await refusal(checkOutboundUrl(lenient, 'file:///etc/passwd', { param: 'url' }));
    expect(err.code).toBe('outbound_url_refused');
  });
});

describe('pinnedLookup', () => {
  it('answers every name with the checked addresses, so a rebinding DNS cannot swap them', () => {
    const lookup = pinnedLookup([{ address: '93.184.216.34', family: 4 }]);
    const answers: unknown[] = [];
    lookup('attacker.example', { all: true }, (_err, address) => answers.push(address));
    lookup('attacker.example', {}, (_err, address, family) => answers.push([address, family]));
    expect(answers).toEqual([[{ address: '93.184.216.34', family: 4 }], ['93.184.216.34', 4]]);
  });
});

describe('fetchOutbound', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; method: string; auth: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({
          url: req.url ?? '',
          method: req.method ?? '',
          auth: req.headers.authorization,
          body,
        });
        const hops = /^\/hop\/(\d+)$/.exec(req.url ?? '');
        if (hops !== null) {
          const left = Number(hops[1]);
          const next = left === 0 ? '/ok' : `/hop/${left - 1}`;
          res.writeHead(307, { location: next }).end();
        } else if (req.url === '/to-303') res.writeHead(303, { location: '/ok' }).end();
        else if (req.url === '/to-private') {
          res.writeHead(302, { location: 'https://169.254.169.254/' }).end();
        } else if ((req.url ?? '').startsWith('/to-other?to=')) {
          const to = new URL(req.url ?? '', 'http://x').searchParams.get('to') ?? '/ok';
          res.writeHead(302, { location: to }).end();
        } else if (req.url === '/big') res.end('x'.repeat(4_096));
        else if (req.url === '/slow') setTimeout(() => res.end('late'), 1_500);
        else {
          res.writeHead(req.url === '/fail' ? 500 : 200, { 'X-Receiver': 'test' });
          res.end(`ok ${req.method}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a loopback receiver before connecting when private URLs are not allowed', async () => {
    const before = seen.length;
    const err = await refusal(fetchOutbound(strict, `${base}/ok`, { method: 'POST' }, bounds));
    expect(err.code).toBe('outbound_url_refused');
    expect(seen.length).toBe(before);
  });

  it('returns status, headers and body, a 500 included', async () => {
    const ok = await fetchOutbound(lenient, `${base}/ok`, { method: 'POST', body: '{}' }, bounds);
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe('ok POST');
    expect(ok.headers['x-receiver']).toBe('test');
    const fail = await fetchOutbound(lenient, `${base}/fail`, {}, bounds);
    expect(fail.status).toBe(500);
  });

  it(`follows ${REDIRECTS_MAX} redirects and refuses the next one`, async () => {
    const three = await fetchOutbound(lenient, `${base}/hop/${REDIRECTS_MAX - 1}`, {}, bounds);
    expect(three.status).toBe(200);
    const err = await refusal(fetchOutbound(lenient, `${base}/hop/${REDIRECTS_MAX}`, {}, bounds));
    expect(err.code).toBe('outbound_request_failed');
    expect(err.details).toEqual({ reason: 'too_many_redirects' });
  });

  it('turns a POST redirected with 303 into a GET without body', async () => {
    const response = await fetchOutbound(
      lenient,
      `${base}/to-303`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
      bounds,
    );
    expect(response.body.toString()).toBe('ok GET');
    expect(seen.at(-1)).toMatchObject({ url: '/ok', method: 'GET', body: '' });
  });

  it.each([
    ['/to-private', 'https to a link-local address'],
    ['/to-303', 'plain http to loopback'],
  ])('re-checks each redirect target: %s (%s) is refused before it is called', async (path) => {
    // The first hop is taken as checked (the receiver is on loopback); the redirect is judged
    // with private URLs not allowed, and refused before any connection is made to it.
    const first = {
      url: new URL(`${base}${path}`),
      addresses: [{ address: '127.0.0.1', family: 4 }],
    };
    const before = seen.length;
    const err = await refusal(fetchChecked(strict, first, { method: 'POST' }, bounds));
    expect(err.code).toBe('outbound_url_refused');
    expect(seen.slice(before).map((request) => request.url)).toEqual([path]);
  });

  it('drops credential headers on a redirect to another origin', async () => {
    const other = base.replace('127.0.0.1', 'localhost');
    const first = await fetchOutbound(
      lenient,
      `${base}/ok`,
      { headers: { authorization: 'Bearer s' } },
      bounds,
    );
    expect(first.status).toBe(200);
    expect(seen.at(-1)?.auth).toBe('Bearer s');
    await fetchOutbound(
      lenient,
      `${base}/to-other?to=${encodeURIComponent(`${other}/ok`)}`,
      { headers: { authorization: 'Bearer s' } },
      bounds,
    );
    expect(seen.at(-1)).toMatchObject({ url: '/ok', auth: undefined });
  });

  it('cuts off a body larger than max_bytes', async () => {
    const err = await refusal(fetchOutbound(lenient, `${base}/big`, {}, bounds));
    expect(err.details).toEqual({ reason: 'too_large' });
  });

  it('gives up on a receiver slower than timeout_ms', async () => {
    const err = await refusal(
      fetchOutbound(lenient, `${base}/slow`, {}, { timeout_ms: 200, max_bytes: 1_024 }),
    );
    expect(err.code).toBe('outbound_request_failed');
    expect(err.details).toEqual({ reason: 'timeout' });
  });
});
