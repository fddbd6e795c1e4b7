/** Codes of the users domain. */
export type UserErrorCode =
  | 'user_not_found'
  | 'email_taken'
  | 'email_invalid'
  | 'password_invalid'
  | 'too_many_sign_in_attempts';
