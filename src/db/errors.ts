/** Error codes of the database tools (backup and restore); only the CLI raises them. */
export type DatabaseToolErrorCode =
  | 'database_in_use'
  | 'backup_invalid'
  | 'file_exists'
  | 'file_not_found'
  | 'not_sqlite';
