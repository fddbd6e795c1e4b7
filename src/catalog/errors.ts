/** Codes of the avatar and voice catalogs. */
export type CatalogErrorCode =
  | 'look_not_found'
  /** `DELETE /v3/avatars/looks/{look_id}` of a public look (403). */
  | 'look_not_deletable'
  /** `GET /v3/voices/{voice_id}` of a voice the catalog does not have (404). */
  | 'voice_not_found'
  /** A request names a voice the catalog does not have, or one its engine cannot use (400). */
  | 'voice_not_usable';
