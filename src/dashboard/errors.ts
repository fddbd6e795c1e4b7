/** Codes of the dashboard domain (browser sessions and preferences). */
export type DashboardErrorCode = 'csrf_token_invalid' | 'time_zone_invalid';
