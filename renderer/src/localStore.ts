// Local browser storage (IndexedDB via Dexie) for renderer things only: recent searches and small UI
// preferences. Nothing personal lives here: form drafts are kept by the register (drafts.ts); the
// `drafts` table remains only so drafts saved by an older version can be moved there and removed.
import Dexie, { type Table } from 'dexie';

export type LegacyDraftRow = { key: string; kind: 'intake' | 'visit'; agentId: string; savedAt: number; data: unknown };
export type RecentRow = { key: string; items: string[] };
export type UiRow = { key: string; value: unknown };

class LocalDb extends Dexie {
  drafts!: Table<LegacyDraftRow, string>;
  recent!: Table<RecentRow, string>;
  ui!: Table<UiRow, string>;
  constructor() {
    super('daiban-drafts');
    this.version(1).stores({ drafts: 'key, agentId, savedAt', recent: 'key', ui: 'key' });
  }
}

let db: LocalDb | null = null;
function getDb(): LocalDb | null {
  if (db) return db;
  try {
    db = new LocalDb();
    return db;
  } catch {
    return null; // IndexedDB unavailable: these are conveniences, the app works without them
  }
}

/** Drafts an older version left in this browser profile for this agent; each is removed once `take` has it. */
export async function takeLegacyDrafts(agentId: string, take: (row: LegacyDraftRow) => Promise<void>): Promise<void> {
  try {
    const d = getDb();
    if (!d) return;
    for (const row of await d.drafts.where('agentId').equals(agentId).toArray()) {
      await take(row);
      await d.drafts.delete(row.key);
    }
  } catch {
    /* storage unavailable, or the register refused: try again next time */
  }
}

/** How many drafts (with whatever personal data they hold) this browser profile still keeps. */
export async function legacyDraftCount(): Promise<number> {
  try {
    return (await getDb()?.drafts.count()) ?? 0;
  } catch {
    return 0;
  }
}

const RECENT_MAX = 8;
/** A recent search is a short word or number; longer text is not worth a button (and would widen the page). */
export const RECENT_MAX_CHARS = 40;

export async function loadRecent(key: string): Promise<string[]> {
  try {
    return (await getDb()?.recent.get(key))?.items ?? [];
  } catch {
    return [];
  }
}

export async function pushRecent(key: string, item: string): Promise<string[]> {
  const v = item.trim();
  if (!v || v.length > RECENT_MAX_CHARS) return loadRecent(key);
  const items = [v, ...(await loadRecent(key)).filter((x) => x !== v)].slice(0, RECENT_MAX);
  try {
    await getDb()?.recent.put({ key, items });
  } catch {
    /* ignore */
  }
  return items;
}

export async function clearRecent(key: string): Promise<void> {
  try {
    await getDb()?.recent.delete(key);
  } catch {
    /* ignore */
  }
}
