/**
 * The engines this gateway can render with, by name. A job stores its engine's name, so a job
 * admitted before a restart is finished by the same engine after it.
 */
import { assert } from '../shared/assert.ts';
import type { Engine } from './engine.ts';
import { SIMULATOR_ENGINE } from './simulator.ts';

const ENGINES: readonly Engine[] = [SIMULATOR_ENGINE];

/** The engine new jobs use. */
export const DEFAULT_ENGINE: Engine = SIMULATOR_ENGINE;

export function engineByName(name: string): Engine {
  const engine = ENGINES.find((candidate) => candidate.name === name);
  assert(engine !== undefined, `job engine ${name} is known`);
  return engine;
}
