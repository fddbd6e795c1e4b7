/**
 * A fake render farm for the `http` engine's tests: a real HTTP server on 127.0.0.1 that takes
 * the jobs Tollgate POSTs (checking their `Tollgate-Signature` as a real worker would), answers
 * with a status the test chooses, and sends signed callbacks to the `callback_url` each job names,
 * over a real socket, as a worker does. `send` can sign with another secret or a stale clock, to
 * test that Tollgate refuses what it should.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SIGNATURE_HEADER,
  signedHeaders,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../src/engines/signing.ts';

export type ReceivedJob = {
  job_id: string;
  kind: string;
  product: string;
  request: Record<string, unknown>;
  callback_url: string;
  heartbeat_timeout_ms: number;
  /** Whether the job's signature verified with the shared secret. */
  signature_ok: boolean;
};

export type RenderWorker = {
  url: string;
  jobs: ReceivedJob[];
  /** The HTTP status the next hand-overs are answered with (202 by default). */
  answer_status: number;
  /** Sends a callback about `job_id`; `sign` overrides the secret, time or body signed. */
  send: (
    job_id: string,
    body: Record<string, unknown>,
    sign?: { secret?: string; now_ms?: bigint; signed_body?: string },
  ) => Promise<{ status: number; json: unknown }>;
  close: () => Promise<void>;
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startRenderWorker(options: {
  secret: string;
  /** The gateway's clock, for signing callbacks at its time. */
  now_ms: () => bigint;
}): Promise<RenderWorker> {
  const worker: RenderWorker = {
    url: '',
    jobs: [],
    answer_status: 202,
    send: async (job_id, body, sign = {}) => {
      const job = worker.jobs.find((candidate) => candidate.job_id === job_id);
      if (job === undefined) throw new Error(`the render worker never received ${job_id}`);
      const text = JSON.stringify({ job_id, ...body });
      const headers = signedHeaders(
        sign.secret ?? options.secret,
        sign.signed_body ?? text,
        sign.now_ms ?? options.now_ms(),
      );
      const res = await fetch(job.callback_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      });
      return { status: res.status, json: await res.json() };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (request, response) => {
    const text = await readBody(request);
    const signature_ok = verifySignature(options.secret, {
      body: text,
      timestamp: request.headers[TIMESTAMP_HEADER] as string | undefined,
      signature: request.headers[SIGNATURE_HEADER] as string | undefined,
      now_ms: options.now_ms(),
      tolerance_ms: 300_000n,
    });
    const job = JSON.parse(text) as Omit<ReceivedJob, 'signature_ok'>;
    worker.jobs.push({ ...job, signature_ok });
    response.writeHead(worker.answer_status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ worker_job_id: `w_${worker.jobs.length}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  worker.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs`;
  return worker;
}

/** A port that was free a moment ago, for a gateway whose public URL must be known in advance. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
