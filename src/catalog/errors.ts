/** Codes of the avatar catalog. */
export type CatalogErrorCode = 'look_not_found';
