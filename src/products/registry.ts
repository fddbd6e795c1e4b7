/**
 * Every product the lifecycle serves, by job kind. The worker finds a stored job's product here
 * (its engine call), and the jobs domain its resource name. Adding a product: docs/products.md.
 */
import type { TxContext } from '../context.ts';
import type { JobKind } from '../jobs/lifecycle.ts';
import { assert } from '../shared/assert.ts';
import { AGENT_SESSION_PRODUCT, AGENT_VIDEO_PRODUCT } from './agent.ts';
import { AVATAR_TRAINING_PRODUCT } from './avatar-training.ts';
import { LIPSYNC_PRODUCT } from './lipsync.ts';
import type { AnyProduct } from './product.ts';
import { PROOFREAD_PRODUCT } from './proofread.ts';
import { SPEECH_PRODUCT } from './speech.ts';
import { TRANSLATION_PRODUCT } from './translation.ts';
import { VIDEO_PRODUCT } from './video.ts';

// Built on first use: products import domains that import this registry back (a session's
// videos follow the lifecycle, which finds products here), so the table cannot be built while
// those modules are still loading.
let products: Partial<Record<JobKind, AnyProduct>> | null = null;

function registered(): Partial<Record<JobKind, AnyProduct>> {
  products ??= {
    video: VIDEO_PRODUCT,
    lipsync: LIPSYNC_PRODUCT,
    agent: AGENT_SESSION_PRODUCT,
    agent_video: AGENT_VIDEO_PRODUCT,
    translation: TRANSLATION_PRODUCT,
    proofread: PROOFREAD_PRODUCT,
    avatar_training: AVATAR_TRAINING_PRODUCT,
    speech: SPEECH_PRODUCT,
  };
  return products;
}

/** The product of a stored job kind; a kind with no product is a broken invariant. */
export function productOf(kind: string): AnyProduct {
  const table = registered();
  const product = Object.hasOwn(table, kind) ? table[kind as JobKind] : undefined;
  assert(product !== undefined, `job kind ${kind} has a product`);
  return product;
}

/** Runs every product's periodic step (`Product.sweep`), each bounded by `limit`. */
export async function sweepProducts(tx: TxContext, options: { limit: number }): Promise<number> {
  let moved = 0;
  for (const product of Object.values(registered())) {
    if (product?.sweep !== undefined) moved += await product.sweep(tx, options);
  }
  return moved;
}
