/**
 * Text-to-Speech (`POST /v3/voices/speech`, Starfish, API.md §8) as a product: synchronous, so
 * it runs through `jobs/run-now.ts` (admitted, synthesized and settled within the request; no
 * concurrency slot). Priced per second of the returned audio ($0.000667/s); the hold is the
 * text's `[simulate:duration=S]`-probed length, else its characters at 10 per second divided by
 * `speed` (docs/estimates.md). The voice must be in the catalog and support `starfish`.
 */
import { requireVoice } from '../catalog/voices.ts';
import type { Renderer, RenderJob, RenderResult, SpeechResult } from '../engines/engine.ts';
import type { SpeechInput } from '../engines/inputs.ts';
import { scriptEstimateMs } from '../jobs/quote.ts';
import { countChars } from '../jobs/video-input.ts';
import type { Product } from './product.ts';

export type CreateSpeechInput = SpeechInput & {
  input_type?: 'text' | 'ssml';
  language?: string | null;
  locale?: string | null;
};

export type SpeechSpec = { char_count: number; speed: number };

/** What the response carries beside the billed duration. */
export type SpeechOutput = {
  audio_url: string;
  word_timestamps: { word: string; start: number; end: number }[];
};

export const SPEECH_PRODUCT: Product<CreateSpeechInput, SpeechSpec> = {
  kind: 'speech',
  id_prefix: 'speech',
  noun: 'Speech',
  id_param: 'request_id',
  parse: (input) => {
    requireVoice(input.voice_id, { param: 'voice_id', engine: 'starfish' });
    return { char_count: countChars(input.text), speed: input.speed ?? 1 };
  },
  facts: () => ({
    title: null,
    callback_url: null,
    callback_id: null,
    test: false,
    output_format: 'mp3',
  }),
  usage: () => ({ product: 'text_to_speech', model: 'starfish' }),
  estimate: ({ input, spec }, engine) => {
    const probed = engine.probeDurationMs({ type: 'text', text: input.text });
    if (probed !== null) return { duration_ms: probed, rule: 'probed_source_duration' };
    const duration_ms = scriptEstimateMs(spec.char_count, spec.speed);
    return { duration_ms, rule: 'script_chars_at_10_per_s' };
  },
  render: (engine, job) => synthesize(engine, job).result,
};

/** The engine's speech as the lifecycle's result (its billed duration) and the response's rest. */
export function synthesize(
  engine: Renderer,
  job: RenderJob<CreateSpeechInput>,
): { result: RenderResult; output: SpeechOutput | null } {
  const speech: SpeechResult = engine.synthesizeSpeech(job.request);
  if (speech.outcome === 'failed') return { result: speech, output: null };
  return {
    result: {
      outcome: 'completed',
      duration_ms: speech.duration_ms,
      video_url: null,
      thumbnail_url: null,
      gif_url: null,
      captioned_video_url: null,
      subtitle_url: null,
    },
    output: { audio_url: speech.audio_url, word_timestamps: speech.word_timestamps },
  };
}
