/**
 * The simulator's text-to-speech (`POST /v3/voices/speech`): synchronous and deterministic. The
 * audio lasts round(N × 1000 / (15 × speed)) ms for N characters, or as its
 * `[simulate:duration=S]` marker says; `[simulate:fail]` fails it. Word timestamps spread the
 * duration over the words in proportion to their characters.
 */
import { countChars } from '../jobs/video-input.ts';
import { assert } from '../shared/assert.ts';
import { divFloor } from '../shared/money.ts';
import type { SpeechResult } from './engine.ts';
import type { SpeechInput } from './inputs.ts';
import { SIMULATE_FAIL_MARKER, textAsksToFail, textDurationMs } from './simulator-markers.ts';

export const SIMULATOR_CHARS_PER_S = 15n;
const AUDIO_BASE_URL = 'https://simulator.tollgate.example/speech';
/** At most this many words get a timestamp (bounds the response). */
const WORD_TIMESTAMPS_MAX = 5_000;

/** round(N × 1000 / (15 × speed)) ms for N characters (code points), half up. */
export function speechDurationMs(text: string, speed = 1): bigint {
  const speedMilli = BigInt(Math.round(speed * 1000));
  assert(speedMilli > 0n, 'speech speed is positive');
  const chars = BigInt(countChars(text));
  const denominator = SIMULATOR_CHARS_PER_S * speedMilli;
  // N × 10^6 / (15 × speedMilli), rounded half up without floats.
  return divFloor(2n * chars * 1_000_000n + denominator, 2n * denominator);
}

export function synthesizeSpeech(request: SpeechInput): SpeechResult {
  if (textAsksToFail(request.text)) {
    return {
      outcome: 'failed',
      failure_code: 'render_failed',
      failure_message: `Speech failed: the input asked the simulator to fail (${SIMULATE_FAIL_MARKER}).`,
    };
  }
  const duration_ms =
    textDurationMs(request.text) ?? speechDurationMs(request.text, request.speed ?? 1);
  const key = Buffer.from(`${request.voice_id}\n${request.speed ?? 1}\n${request.text}`)
    .toString('base64url')
    .slice(0, 32);
  return {
    outcome: 'completed',
    duration_ms,
    audio_url: `${AUDIO_BASE_URL}/${key}.mp3`,
    word_timestamps: wordTimestamps(request.text, duration_ms),
  };
}

function wordTimestamps(text: string, duration_ms: bigint) {
  const words = text.split(/\s+/).filter(Boolean).slice(0, WORD_TIMESTAMPS_MAX);
  const total = BigInt(words.reduce((sum, word) => sum + countChars(word), 0));
  if (total === 0n) return [];
  let chars = 0n;
  return words.map((word) => {
    const start = divFloor(chars * duration_ms, total);
    chars += BigInt(countChars(word));
    return {
      word,
      start: Number(start) / 1000,
      end: Number(divFloor(chars * duration_ms, total)) / 1000,
    };
  });
}
