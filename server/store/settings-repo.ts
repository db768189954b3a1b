import type { Db } from './database';

/** The installation-wide settings (migration 003): a typed key/value table. */
export interface Settings {
  /** Random id of this installation (`ins_…`), created with the store. */
  installation_id: string;
  /** Name the console and the desktop app show for this server. */
  name: string;
  /** Whether every staff member must sign in with a second factor ('1') or only management and DPO ('0'). */
  totp_required_for_all: '0' | '1';
}

const DEFAULTS: Partial<Settings> = { name: 'Creative Engine', totp_required_for_all: '0' };

/** Reads and writes the settings table. */
export class SettingsRepo {
  constructor(private readonly db: Db) {}

  /** The stored value, else its default; throws for a setting with neither (a store without migration 003). */
  get<K extends keyof Settings>(key: K): Settings[K] {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
    const value = row ?? DEFAULTS[key];
    if (value === undefined) throw new Error(`The setting ${key} is missing from the store.`);
    return value as Settings[K];
  }

  set<K extends keyof Settings>(key: K, value: Settings[K]): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
