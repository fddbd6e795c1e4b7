/**
 * Schemas and renderers of the users of customer accounts (`/admin/v1/accounts/{id}/users`): the
 * create body (the password is checked and hashed by `users/users.ts`) and the user as shown,
 * never with its password hash.
 */
import { Type } from 'typebox';
import { EMAIL_LENGTH_MAX, type User } from '../../users/users.ts';
import { dataOf, IsoInstant, Nullable } from './envelope.ts';
import { isoOf, nullableWithDefault } from './render.ts';

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: EMAIL_LENGTH_MAX }),
    password: Type.String({
      minLength: 1,
      maxLength: 1_024,
      description: '8 to 256 characters; stored only as an Argon2id hash.',
    }),
    name: Type.Optional(nullableWithDefault(Type.String({ minLength: 1, maxLength: 200 }))),
  },
  { additionalProperties: false },
);

const UserFields = {
  id: Type.String(),
  account_id: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String()),
  created_at_ms: Type.Integer({ description: 'Unix epoch milliseconds' }),
  created_at: IsoInstant,
};

export const UserBody = dataOf(Type.Object(UserFields));
export const UserList = dataOf(Type.Array(Type.Object(UserFields)));

export function renderUser(user: User) {
  return { ...user, created_at: isoOf(user.created_at_ms) };
}
