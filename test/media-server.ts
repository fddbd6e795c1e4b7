/**
 * A media host for the probe's tests: a real HTTP server on 127.0.0.1 serving files from memory
 * with HTTP Range support (`206 Partial Content` with `Content-Range: bytes a-b/total`), and a
 * record of the ranges asked for. `wavFile` writes a PCM WAV of a given length by hand.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type MediaServer = {
  base_url: string;
  ranges: string[];
  close: () => Promise<void>;
};

export async function startMediaServer(
  files: Record<string, { body: Buffer; content_type: string }>,
): Promise<MediaServer> {
  const ranges: string[] = [];
  const server: Server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range === null) {
      response.writeHead(200, { 'content-type': file.content_type }).end(file.body);
      return;
    }
    ranges.push(request.headers.range!);
    const total = file.body.length;
    const start = Number(range[1]);
    const end = Math.min(range[2] === '' ? total - 1 : Number(range[2]), total - 1);
    response.writeHead(206, {
      'content-type': file.content_type,
      'content-range': `bytes ${start}-${end}/${total}`,
    });
    response.end(file.body.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ranges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A mono 8-bit PCM WAV lasting `duration_ms` at `sample_rate` (samples are silence). */
export function wavFile(duration_ms: number, sample_rate = 8_000): Buffer {
  const data_bytes = (duration_ms * sample_rate) / 1000;
  const file = Buffer.alloc(44 + data_bytes, 0x80);
  file.write('RIFF', 0, 'ascii');
  file.writeUInt32LE(36 + data_bytes, 4);
  file.write('WAVEfmt ', 8, 'ascii');
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(sample_rate, 24);
  file.writeUInt32LE(sample_rate, 28); // bytes per second
  file.writeUInt16LE(1, 32); // block align
  file.writeUInt16LE(8, 34); // bits per sample
  file.write('data', 36, 'ascii');
  file.writeUInt32LE(data_bytes, 40);
  return file;
}
