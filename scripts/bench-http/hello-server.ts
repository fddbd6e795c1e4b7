/**
 * The benchmark's baseline: a Fastify hello world (the gateway's Fastify version, no logger, no
 * hooks), run as its own process the way the gateway runs (`node --import tsx`, own process
 * group). `GET /` answers `{"hello":"world"}`; `/readyz` answers once it listens, as the
 * gateway's does. Reads `PORT` and `HOST` like the gateway.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.get('/readyz', async () => ({ data: { status: 'ok' } }));

const port = Number(process.env.PORT ?? '0');
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
