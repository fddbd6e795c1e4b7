/**
 * Avatar creation (`POST /v3/avatars`, API.md §9) as a product: training a new look from a photo
 * (`photo`), footage (`digital_twin`) or a text prompt (`prompt`, made as a photo avatar and
 * priced on that row). A flat $1.00 per call: held at submission, charged only when training
 * completes; a failed or cancelled training costs nothing. The job IS the look (its id is the
 * look id, `src/avatars/looks.ts`); it joins the group the request names (`avatar_group_id`, or
 * the group of the prompt's reference `avatar_id`), else it founds its own.
 */
import {
  accountGroupExists,
  type CreatedLookType,
  findAccountLook,
  lookTypeOf,
} from '../avatars/looks.ts';
import type { AvatarTrainingInput, MediaInput } from '../engines/inputs.ts';
import { jobError } from '../jobs/errors.ts';
import { requireMediaSource } from './media.ts';
import type { Product, RequestScope } from './product.ts';

export type CreateAvatarInput = AvatarTrainingInput & {
  avatar_group_id?: string | null;
  /** Prompt avatars: an account look to use as the visual reference. */
  avatar_id?: string | null;
  reference_images?: MediaInput[] | null;
};

export type AvatarTrainingSpec = {
  avatar_type: CreatedLookType;
  /** The existing group the look joins; null: it founds its own. */
  group_id: string | null;
};

export const AVATAR_TRAINING_PRODUCT: Product<CreateAvatarInput, AvatarTrainingSpec> = {
  kind: 'avatar_training',
  id_prefix: 'look',
  noun: 'Avatar look',
  id_param: 'look_id',
  parse: parseAvatarInput,
  facts: (input, spec) => ({
    title: input.name,
    callback_url: null,
    callback_id: null,
    test: false,
    output_format: 'avatar_look',
    group_id: spec.group_id,
  }),
  usage: (spec) => ({ product: 'avatar_creation', avatar_type: spec.avatar_type }),
  estimate: () => ({ duration_ms: 0n, rule: 'flat_per_call' }),
  render: (engine, job) => engine.trainAvatar(job),
};

/** The rules between fields, and the account's group or reference look the request names. */
export async function parseAvatarInput(
  input: CreateAvatarInput,
  scope: RequestScope,
): Promise<AvatarTrainingSpec> {
  checkSource(input);
  let group_id = input.avatar_group_id ?? null;
  if (group_id !== null) {
    const exists = await accountGroupExists(scope.db, { account_id: scope.account_id, group_id });
    if (!exists) {
      throw jobError('avatar_not_found', `Avatar group ${group_id} not found.`, 'avatar_group_id');
    }
  }
  const reference = input.avatar_id ?? null;
  if (reference !== null) {
    const look = await findAccountLook(scope.db, {
      account_id: scope.account_id,
      look_id: reference,
    });
    if (look === null)
      throw jobError('avatar_not_found', `Avatar ${reference} not found.`, 'avatar_id');
    if (group_id !== null && look.group_id !== group_id) {
      throw jobError(
        'invalid_job_request',
        `Avatar ${reference} does not belong to avatar group ${group_id}.`,
        'avatar_id',
      );
    }
    group_id = look.group_id;
  }
  return { avatar_type: lookTypeOf(input.type), group_id };
}

/** A photo or digital twin trains from `file`; a prompt avatar from `prompt`. */
function checkSource(input: CreateAvatarInput): void {
  if (input.type === 'prompt') {
    if (typeof input.prompt !== 'string') {
      throw jobError('invalid_job_request', "A 'prompt' avatar needs a prompt.", 'prompt');
    }
    for (const field of ['file'] as const) {
      if (input[field] != null) {
        throw jobError('invalid_job_request', `A 'prompt' avatar takes no ${field}.`, field);
      }
    }
    for (const [index, image] of (input.reference_images ?? []).entries()) {
      requireMediaSource(image, `reference_images[${index}]`);
    }
    return;
  }
  for (const field of ['prompt', 'reference_images', 'avatar_id'] as const) {
    if (input[field] != null) {
      throw jobError(
        'invalid_job_request',
        `${field} belongs to 'prompt' avatars; a '${input.type}' avatar trains from its file.`,
        field,
      );
    }
  }
  if (input.file == null) {
    throw jobError('invalid_job_request', `A '${input.type}' avatar needs a file.`, 'file');
  }
  requireMediaSource(input.file, 'file');
}
