import { describe, expect, it } from 'vitest';
import type { CreateVideoInput } from '../jobs/video-input.ts';
import { simulatedDurationMs, simulateRender } from './simulator.ts';

const avatar = (fields: Partial<CreateVideoInput>): CreateVideoInput => ({
  type: 'avatar',
  avatar_id: 'look_twin_sofia',
  ...fields,
});

describe('the simulator engine', () => {
  it.each([
    [1, 67n],
    [2, 133n],
    [15, 1_000n],
    [150, 10_000n],
    [5_000, 333_333n],
  ])('speaks a %i-character script in round(N × 1000 / 15) = %i ms', (chars, duration_ms) => {
    expect(simulatedDurationMs(avatar({ script: 'a'.repeat(chars) }))).toBe(duration_ms);
  });

  it('counts characters as code points, not UTF-16 units', () => {
    expect(simulatedDurationMs(avatar({ script: '😀'.repeat(15) }))).toBe(1_000n);
  });

  it('renders audio at its declared duration, else 60 s, and a cinematic avatar at its duration', () => {
    expect(simulatedDurationMs(avatar({ audio_url: 'u', audio_duration_ms: 12_345 }))).toBe(
      12_345n,
    );
    expect(simulatedDurationMs(avatar({ audio_asset_id: 'a' }))).toBe(60_000n);
    const cinematic: CreateVideoInput = { type: 'cinematic_avatar', avatar_id: ['x'], prompt: 'p' };
    expect(simulatedDurationMs({ ...cinematic, duration: 4 })).toBe(4_000n);
    expect(simulatedDurationMs(cinematic)).toBe(10_000n);
  });

  it('fails with render_failed when the script or prompt asks it to', () => {
    const job = (request: CreateVideoInput) => ({
      job_id: 'video_1',
      output_format: 'mp4',
      request,
    });
    expect(simulateRender(job(avatar({ script: 'x [simulate:fail] y' })))).toMatchObject({
      outcome: 'failed',
      failure_code: 'render_failed',
    });
    const prompt: CreateVideoInput = {
      type: 'cinematic_avatar',
      avatar_id: ['x'],
      prompt: '[simulate:fail]',
    };
    expect(simulateRender(job(prompt)).outcome).toBe('failed');
  });

  it('is deterministic and gives well-formed URLs of the output format', () => {
    const job = { job_id: 'video_1', output_format: 'webm', request: avatar({ script: 'Hi.' }) };
    const result = simulateRender(job);
    expect(simulateRender(job)).toEqual(result);
    expect(result).toMatchObject({
      outcome: 'completed',
      video_url: 'https://simulator.tollgate.example/videos/video_1.webm',
      thumbnail_url: 'https://simulator.tollgate.example/videos/video_1.jpg',
      subtitle_url: 'https://simulator.tollgate.example/videos/video_1.srt',
      captioned_video_url: null,
    });
    const captioned = simulateRender({
      ...job,
      request: avatar({ script: 'Hi.', caption: { style: 'default' } }),
    });
    expect(captioned).toMatchObject({
      captioned_video_url: expect.stringMatching(/captioned\.mp4$/),
    });
  });
});
