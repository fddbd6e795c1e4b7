import { describe, expect, it } from 'vitest';
import { createRandomIds, createSeededIds, ID_RANDOM_POOL_BYTES } from './ids.ts';

const ID_FORMAT = /^job_[0-9A-Za-z]{20}$/;

describe('random ids', () => {
  it('keep the format (prefix, underscore, 20 base-62 characters) across pool refills', () => {
    const ids = createRandomIds();
    const count = Math.ceil((3 * ID_RANDOM_POOL_BYTES) / 20) + 7;
    for (let index = 0; index < count; index++) expect(ids.newId('job')).toMatch(ID_FORMAT);
  });

  it('never repeat, within a pool, across refills, or between two generators', () => {
    const first = createRandomIds();
    const second = createRandomIds();
    const seen = new Set<string>();
    const count = Math.ceil((2 * ID_RANDOM_POOL_BYTES) / 20) + 3;
    for (let index = 0; index < count; index++) {
      seen.add(first.newId('job').slice(4));
      seen.add(second.newId('job').slice(4));
    }
    expect(seen.size).toBe(2 * count);
  });

  it('make secrets of the asked byte count in base64url, each different', () => {
    const ids = createRandomIds();
    const secrets = new Set([ids.newSecret(32), ids.newSecret(32)]);
    expect(secrets.size).toBe(2);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('seeded ids', () => {
  it('repeat the same sequence for the same seed', () => {
    const a = createSeededIds('s');
    const b = createSeededIds('s');
    expect([a.newId('job'), a.newId('job')]).toEqual([b.newId('job'), b.newId('job')]);
  });
});
