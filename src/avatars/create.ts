/**
 * Creating an avatar (`POST /v3/avatars`): admits one `avatar_training` job (a $1.00 hold, a
 * concurrency slot) whose id is the new look's, and in the same transaction places the look in
 * its group — the one the request named, else a new group of its own. The caller sees the look
 * and its group as they stand when the admission commits.
 */

import type { AvatarLook } from '../catalog/looks.ts';
import type { TxContext } from '../context.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { type Admission, admitJob } from '../jobs/submit.ts';
import { assert } from '../shared/assert.ts';
import { type AvatarGroup, findAccountGroup } from './groups.ts';
import { newGroupIdFor, toAccountLook } from './looks.ts';

export type CreatedAvatar = { look: AvatarLook; group: AvatarGroup; job: JobRow };

/** Admits the training (its $1.00 hold) and places the new look, in the caller's transaction. */
export async function createAvatar(tx: TxContext, admission: Admission): Promise<CreatedAvatar> {
  return placeNewLook(tx, await admitJob(tx, admission));
}

/** In the admitting transaction: puts the new look in its group (its own, if it names none). */
export async function placeNewLook(tx: TxContext, job: JobRow): Promise<CreatedAvatar> {
  let row = job;
  if (row.group_id === null) {
    row = { ...row, group_id: newGroupIdFor(row.id) };
    await tx.db
      .updateTable('jobs')
      .set({ group_id: row.group_id })
      .where('id', '=', row.id)
      .execute();
  }
  const group_id = row.group_id;
  assert(group_id !== null, `look ${row.id} has a group`);
  const group = await findAccountGroup(tx.db, { account_id: row.account_id, group_id });
  assert(group !== null, `look ${row.id}'s group ${group_id} exists`);
  return { look: toAccountLook(row), group, job: row };
}
