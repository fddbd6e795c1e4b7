import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startTickLoop } from './tick-loop.ts';

const silent = pino({ level: 'silent' });

describe('startTickLoop', () => {
  it('runs busy ticks back to back, keeps going after a tick throws, and waits idle ticks out', async () => {
    const results: Array<number | Error> = [1, new Error('boom'), 2, 0];
    const started: number[] = [];
    const loop = startTickLoop({
      name: 'test',
      log: silent,
      idle_interval_ms: 60_000,
      tick: async () => {
        started.push(Date.now());
        const next = results.shift() ?? 0;
        if (next instanceof Error) throw next;
        return next;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await loop.stop();
    // 1 (busy) → throw (counted idle: waits 60 s) — so only two ticks ran in 200 ms.
    expect(started).toHaveLength(2);
  });

  it('stop() waits for the tick in progress and no tick starts after it', async () => {
    let ticks = 0;
    let finished = false;
    const loop = startTickLoop({
      name: 'test',
      log: silent,
      idle_interval_ms: 1,
      tick: async () => {
        ticks++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
        return 1;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await loop.stop();
    expect(finished).toBe(true);
    const after = ticks;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(ticks).toBe(after);
  });

  it('reports each tick start and end to observeTick', async () => {
    const events: string[] = [];
    const loop = startTickLoop({
      name: 'test',
      log: silent,
      idle_interval_ms: 60_000,
      tick: async () => {
        events.push('tick');
        return 0;
      },
      observeTick: () => {
        events.push('start');
        return () => events.push('end');
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await loop.stop();
    expect(events).toEqual(['start', 'tick', 'end']);
  });
});
