import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LIMITS, loadConfig } from './config.ts';

describe('TOLLGATE_AUTO_RELOAD_FAILURES_MAX', () => {
  it('defaults to 3 and is read as the failures before auto-reload is turned off', () => {
    expect(DEFAULT_LIMITS.auto_reload_failures_max).toBe(3);
    expect(loadConfig({}).limits.auto_reload_failures_max).toBe(3);
    const config = loadConfig({ TOLLGATE_AUTO_RELOAD_FAILURES_MAX: '5' });
    expect(config.limits.auto_reload_failures_max).toBe(5);
  });

  it.each(['0', '101', 'three', '-1'])(
    '%s stops the start with a line naming the variable',
    (value) => {
      expect(() => loadConfig({ TOLLGATE_AUTO_RELOAD_FAILURES_MAX: value })).toThrow(
        new ConfigError(
          value === 'three' || value === '-1'
            ? `TOLLGATE_AUTO_RELOAD_FAILURES_MAX: "${value}" is not a whole number`
            : `TOLLGATE_AUTO_RELOAD_FAILURES_MAX: ${value} is outside 1..100`,
        ),
      );
    },
  );
});
