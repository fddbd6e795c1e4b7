/**
 * Every product the lifecycle serves, by job kind. The worker finds a stored job's product here
 * (its engine call), and the jobs domain its resource name. Adding a product: docs/products.md.
 */
import type { JobKind } from '../jobs/lifecycle.ts';
import { assert } from '../shared/assert.ts';
import { AVATAR_TRAINING_PRODUCT } from './avatar-training.ts';
import { LIPSYNC_PRODUCT } from './lipsync.ts';
import type { AnyProduct } from './product.ts';
import { SPEECH_PRODUCT } from './speech.ts';
import { VIDEO_PRODUCT } from './video.ts';

const PRODUCTS: Partial<Record<JobKind, AnyProduct>> = {
  video: VIDEO_PRODUCT,
  lipsync: LIPSYNC_PRODUCT,
  avatar_training: AVATAR_TRAINING_PRODUCT,
  speech: SPEECH_PRODUCT,
};

/** The product of a stored job kind; a kind with no product is a broken invariant. */
export function productOf(kind: string): AnyProduct {
  const product = Object.hasOwn(PRODUCTS, kind) ? PRODUCTS[kind as JobKind] : undefined;
  assert(product !== undefined, `job kind ${kind} has a product`);
  return product;
}
