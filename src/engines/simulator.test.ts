import { describe, expect, it } from 'vitest';
import type { CreateVideoInput } from '../jobs/video-input.ts';
import {
  probeSimulated,
  SIMULATOR_ENGINE,
  simulatedDurationMs,
  simulateRender,
  speechDurationMs,
} from './simulator.ts';
import { textDurationMs, urlAsksToFail, urlDurationMs } from './simulator-markers.ts';

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

  it.each([
    [150, 1, 10_000n],
    [150, 1.5, 6_667n],
    [150, 0.5, 20_000n],
    [1, 2, 33n],
    [3, 0.8, 250n],
  ])(
    'speaks %i characters at speed %d in round(N × 1000 / (15 × speed)) = %i ms',
    (chars, speed, ms) => {
      expect(speechDurationMs('a'.repeat(chars), speed)).toBe(ms);
      expect(
        simulatedDurationMs(avatar({ script: 'a'.repeat(chars), voice_settings: { speed } })),
      ).toBe(ms);
    },
  );

  it.each([
    ['[simulate:duration=12]', 12_000n],
    ['say this [simulate:duration=0.5] slowly', 500n],
    ['[simulate:duration=3.25]', 3_250n],
    ['[simulate:duration=7.125]', 7_125n],
    ['[simulate:duration=1.2345]', null],
    ['[simulate:duration=]', null],
    ['[simulate:duration=-1]', null],
    ['no marker', null],
  ])('reads %s in a text as %s ms', (text, ms) => {
    expect(textDurationMs(text)).toBe(ms);
  });

  it('reads a media URL fragment: its duration, fail, or both joined by &', () => {
    expect(urlDurationMs('https://m.example/a.mp3#simulate:duration=42.5')).toBe(42_500n);
    expect(urlDurationMs('https://m.example/a.mp3#simulate:fail&simulate:duration=2')).toBe(2_000n);
    expect(urlDurationMs('https://m.example/a.mp3?simulate:duration=2')).toBeNull();
    expect(urlAsksToFail('https://m.example/a.mp3#simulate:fail')).toBe(true);
    expect(urlAsksToFail('https://m.example/simulate:fail.mp3')).toBe(false);
    expect(probeSimulated({ type: 'asset_id', asset_id: 'x#simulate:duration=3' })).toBeNull();
    expect(probeSimulated({ type: 'text', text: '[simulate:duration=3]' })).toBe(3_000n);
  });

  it('a duration marker sets a script video and an audio video to exactly that length', () => {
    expect(simulatedDurationMs(avatar({ script: 'Hi [simulate:duration=8.5]' }))).toBe(8_500n);
    const marked = avatar({ audio_url: 'https://m.example/a.mp3#simulate:duration=20' });
    expect(simulatedDurationMs({ ...marked, audio_duration_ms: 5_000 })).toBe(20_000n);
  });

  it('a fail marker on any media URL or in the title fails a video', () => {
    const job = (request: CreateVideoInput) => ({ job_id: 'v', output_format: 'mp4', request });
    const failing = [
      avatar({ audio_url: 'https://m.example/a.mp3#simulate:fail' }),
      avatar({ script: 'Hi', title: 'x [simulate:fail]' }),
      { type: 'image', image_url: 'https://m.example/i.png#simulate:fail', script: 'Hi' },
    ] as CreateVideoInput[];
    for (const request of failing) expect(simulateRender(job(request)).outcome).toBe('failed');
  });

  it('renders every product deterministically from its markers, else its documented default', () => {
    const url = (fragment: string) => ({
      type: 'url' as const,
      url: `https://m.example/f${fragment}`,
    });
    const job = <T>(request: T) => ({ job_id: 'job_1', output_format: 'mp4', request });
    const lipsync = { video: url(''), audio: url('#simulate:duration=4.5') };
    expect(SIMULATOR_ENGINE.lipsync(job(lipsync))).toMatchObject({ duration_ms: 4_500n });
    expect(SIMULATOR_ENGINE.lipsync(job({ ...lipsync, audio: url('') }))).toMatchObject({
      duration_ms: 60_000n,
    });
    expect(
      SIMULATOR_ENGINE.lipsync(job({ ...lipsync, video: url('#simulate:fail') })).outcome,
    ).toBe('failed');
    const translation = { video: url('#simulate:duration=90'), output_language: 'Spanish' };
    expect(SIMULATOR_ENGINE.translateVideo(job(translation))).toMatchObject({
      duration_ms: 90_000n,
    });
    expect(SIMULATOR_ENGINE.translateVideo(job({ ...translation, video: url('') }))).toMatchObject({
      duration_ms: 60_000n,
    });
    expect(
      SIMULATOR_ENGINE.runAgent(job({ prompt: 'An ad [simulate:duration=45]' })),
    ).toMatchObject({
      duration_ms: 45_000n,
    });
    expect(SIMULATOR_ENGINE.runAgent(job({ prompt: 'An ad' }))).toMatchObject({
      duration_ms: 30_000n,
    });
    expect(SIMULATOR_ENGINE.runAgent(job({ prompt: '[simulate:fail]' })).outcome).toBe('failed');
    const training = { type: 'photo' as const, name: 'Me', file: url('') };
    expect(SIMULATOR_ENGINE.trainAvatar(job(training))).toMatchObject({ outcome: 'completed' });
    expect(
      SIMULATOR_ENGINE.trainAvatar(job({ ...training, name: 'x [simulate:fail]' })).outcome,
    ).toBe('failed');
  });

  it('a translation or proofread lasts as its source: marker, else declared length, else 60 s', () => {
    const job = <T>(request: T) => ({ job_id: 'vt_1', output_format: 'mp4', request });
    const asset = { type: 'asset_id' as const, asset_id: 'asset_talk' };
    const marked = { type: 'url' as const, url: 'https://m.example/v.mp4#simulate:duration=7' };
    const declared = { video: asset, output_language: 'French', video_duration_ms: 45_000 };
    for (const render of [SIMULATOR_ENGINE.translateVideo, SIMULATOR_ENGINE.proofreadTranslation]) {
      expect(render(job(declared))).toMatchObject({ duration_ms: 45_000n });
      expect(render(job({ ...declared, video: marked }))).toMatchObject({ duration_ms: 7_000n });
      expect(render(job({ video: asset, output_language: 'French' }))).toMatchObject({
        duration_ms: 60_000n,
      });
      expect(render(job({ ...declared, title: 'x [simulate:fail]' })).outcome).toBe('failed');
    }
    expect(SIMULATOR_ENGINE.translateVideo(job(declared))).toMatchObject({ subtitle_url: null });
    expect(
      SIMULATOR_ENGINE.translateVideo(job({ ...declared, enable_caption: true })),
    ).toMatchObject({
      subtitle_url: 'https://simulator.tollgate.example/video-translations/vt_1.srt',
    });
    expect(SIMULATOR_ENGINE.proofreadTranslation(job(declared))).toMatchObject({
      video_url: null,
      subtitle_url: 'https://simulator.tollgate.example/proofreads/vt_1.srt',
    });
  });

  it('synthesizes speech synchronously: duration by the formula or the marker, timestamps within it', () => {
    const speech = SIMULATOR_ENGINE.synthesizeSpeech({ text: 'Hello there world', voice_id: 'v' });
    expect(speech).toMatchObject({ outcome: 'completed', duration_ms: 1_133n });
    if (speech.outcome !== 'completed') throw new Error('speech failed');
    expect(speech.word_timestamps.map((w) => w.word)).toEqual(['Hello', 'there', 'world']);
    expect(speech.word_timestamps.at(-1)?.end).toBe(1.133);
    expect(
      SIMULATOR_ENGINE.synthesizeSpeech({ text: 'Hi', voice_id: 'v', speed: 2 }),
    ).toMatchObject({
      duration_ms: 67n,
    });
    expect(
      SIMULATOR_ENGINE.synthesizeSpeech({ text: 'Hi [simulate:duration=2]', voice_id: 'v' }),
    ).toMatchObject({ duration_ms: 2_000n });
    expect(
      SIMULATOR_ENGINE.synthesizeSpeech({ text: '[simulate:fail]', voice_id: 'v' }).outcome,
    ).toBe('failed');
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
