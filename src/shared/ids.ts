/**
 * The only place that generates randomness. Ids are a short type prefix plus 20 random base-62
 * characters (~119 bits). An id's bytes come from a pool of CSPRNG bytes refilled 4 KiB at a
 * time (one `randomFillSync` per 204 ids instead of one per id); each byte is used once, so ids
 * stay as unpredictable and as unique as before. Secrets are drawn fresh each time. Tests use a
 * seeded generator so ids are reproducible.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';

export type Ids = {
  /** A new unique id such as `acct_4fJ…`. */
  newId: (prefix: string) => string;
  /** A new secret of `byteCount` random bytes as base64url (for API keys and tokens). */
  newSecret: (byteCount: number) => string;
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_BODY_LENGTH = 20;
/** Random bytes fetched at once for ids, used up in order, each byte once. */
export const ID_RANDOM_POOL_BYTES = 4096;

function toBase62(bytes: Uint8Array, offset = 0): string {
  let body = '';
  for (let index = 0; index < ID_BODY_LENGTH; index++) body += BASE62[bytes[offset + index]! % 62];
  return body;
}

export function createRandomIds(): Ids {
  const pool = new Uint8Array(ID_RANDOM_POOL_BYTES);
  let used = ID_RANDOM_POOL_BYTES;
  return {
    newId: (prefix) => {
      if (used + ID_BODY_LENGTH > ID_RANDOM_POOL_BYTES) {
        randomFillSync(pool);
        used = 0;
      }
      const body = toBase62(pool, used);
      used += ID_BODY_LENGTH;
      return `${prefix}_${body}`;
    },
    newSecret: (byteCount) => randomBytes(byteCount).toString('base64url'),
  };
}

/** Deterministic ids for tests: the same seed yields the same sequence. */
export function createSeededIds(seed: string): Ids {
  let counter = 0;
  const next = (length: number): Buffer => {
    counter++;
    const chunks: Buffer[] = [];
    for (let block = 0; chunks.length * 32 < length; block++) {
      chunks.push(createHash('sha256').update(`${seed}:${counter}:${block}`).digest());
    }
    return Buffer.concat(chunks).subarray(0, length);
  };
  return {
    newId: (prefix) => `${prefix}_${toBase62(next(ID_BODY_LENGTH))}`,
    newSecret: (byteCount) => next(byteCount).toString('base64url'),
  };
}
