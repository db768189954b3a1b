/** Answer of GET /api/config: server facts the console shows or builds on. */
export interface ConsoleConfig {
  /** Base URL of the delivery listener as publishers reach it (no trailing slash), for ad tags. */
  deliveryBaseUrl: string;
  /** The operator time zone (IANA name): days of statistics, caps and statements; the console shows times in it. */
  timeZone: string;
}
