/**
 * The string bounds request schemas share, so an id or a URL has the same limit on every route:
 * ids up to 128 characters (the longest id Tollgate makes, and `path_param_chars_max`), URLs up
 * to 2,048.
 */
export const ID = { minLength: 1, maxLength: 128 };
export const URL = { minLength: 1, maxLength: 2_048 };
