/**
 * What an engine is: something that turns an admitted job into a result (an output duration and
 * URLs, or a failure). The worker asks an engine how long a job takes to render (`latency_ms`)
 * and, once that time has passed, for its `result`. Engines hold no state between the two calls:
 * a restarted gateway asks again and gets the same answer.
 */
import type { Config } from '../config.ts';
import type { CreateVideoInput } from '../jobs/video-input.ts';

export type RenderJob = {
  job_id: string;
  output_format: string;
  /** The validated request body the job was admitted with. */
  request: CreateVideoInput;
};

export type RenderResult =
  | {
      outcome: 'completed';
      duration_ms: bigint;
      video_url: string;
      thumbnail_url: string;
      gif_url: string;
      captioned_video_url: string | null;
      subtitle_url: string | null;
    }
  | { outcome: 'failed'; failure_code: string; failure_message: string };

export type Engine = {
  name: string;
  /** How long after it starts a job's result is due. */
  latency_ms: (config: Config) => bigint;
  result: (job: RenderJob) => RenderResult;
};
