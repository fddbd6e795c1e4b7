/**
 * The engines this gateway can render with, by name, and which one serves each job kind
 * (`TOLLGATE_ENGINE` and its per-product overrides, `config.engines`). A job stores its engine's
 * name at admission, so a job admitted before a restart or a configuration change is finished by
 * the same engine after it.
 */
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { assert } from '../shared/assert.ts';
import type {
  ComputedEngine,
  Engine,
  Prober,
  ProbeSource,
  RemoteEngine,
  Renderer,
  RenderJob,
} from './engine.ts';
import { HEYGEN_ENGINE } from './heygen-engine.ts';
import { HTTP_ENGINE } from './http-engine.ts';
import type { SpeechInput } from './inputs.ts';
import { SIMULATOR_ENGINE } from './simulator.ts';

const ENGINES: readonly Engine[] = [SIMULATOR_ENGINE, HTTP_ENGINE, HEYGEN_ENGINE];

/** The names of the engines that render elsewhere (the worker's remote step drives them). */
export const REMOTE_ENGINE_NAMES = ENGINES.filter((engine) => engine.mode === 'remote').map(
  (engine) => engine.name,
);
export const COMPUTED_ENGINE_NAMES = ENGINES.filter((engine) => engine.mode === 'computed').map(
  (engine) => engine.name,
);

export function engineByName(name: string): Engine {
  const engine = ENGINES.find((candidate) => candidate.name === name);
  assert(engine !== undefined, `job engine ${name} is known`);
  return engine;
}

export function computedEngineByName(name: string): ComputedEngine {
  const engine = engineByName(name);
  assert(engine.mode === 'computed', `engine ${name} computes its results`);
  return engine;
}

export function remoteEngineByName(name: string): RemoteEngine {
  const engine = engineByName(name);
  assert(engine.mode === 'remote', `engine ${name} renders remotely`);
  return engine;
}

/** The engine new jobs of `kind` are admitted with: its override, else `TOLLGATE_ENGINE`. */
export function engineFor(config: Config, kind: string): Engine {
  const engines = config.engines;
  const name = Object.hasOwn(engines.by_kind, kind)
    ? engines.by_kind[kind]!
    : engines.default_engine;
  return engineByName(name);
}

/** Media durations read before admission (`media-probe.ts`), by URL; null: unreadable. */
export type ProbedMedia = ReadonlyMap<string, bigint | null>;

/**
 * The prober a hold estimate asks: the engine's own answer (the simulator's markers), else a
 * media duration probed before admission.
 */
export function proberWith(engine: Prober, probed: ProbedMedia | undefined): Prober {
  return {
    probeDurationMs: (source: ProbeSource) => {
      const known = engine.probeDurationMs(source);
      if (known !== null || probed === undefined) return known;
      const url = source.type === 'url' ? source.url : undefined;
      return url === undefined ? null : (probed.get(url) ?? null);
    },
  };
}

/**
 * The renderer a synchronous job (speech) is read through: a computed engine itself, or a remote
 * engine's answer, fetched now (outside any transaction), behind the same calls.
 */
export async function rendererOf(
  ctx: AppContext,
  engine: Engine,
  job: RenderJob<unknown>,
): Promise<Renderer> {
  if (engine.mode === 'computed') return engine;
  const speech = await engine.synthesizeSpeech(ctx, job as RenderJob<SpeechInput>);
  const notSynchronous = (): never => {
    throw new Error(`engine ${engine.name}: only speech is rendered within its request`);
  };
  return {
    renderVideo: notSynchronous,
    lipsync: notSynchronous,
    translateVideo: notSynchronous,
    proofreadTranslation: notSynchronous,
    runAgent: notSynchronous,
    trainAvatar: notSynchronous,
    synthesizeSpeech: () => speech,
  };
}
