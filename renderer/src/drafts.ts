// Local browser storage (IndexedDB via Dexie) for what may be lost without harm: unfinished form
// drafts, recent searches and small UI preferences. The register itself never lives here.
import Dexie, { type Table } from 'dexie';
import { useEffect, useMemo, useRef } from 'react';

export type DraftKind = 'intake' | 'visit';

export type DraftRow = { key: string; kind: DraftKind; agentId: string; savedAt: number; data: unknown };
export type RecentRow = { key: string; items: string[] };
export type UiRow = { key: string; value: unknown };

class DraftDb extends Dexie {
  drafts!: Table<DraftRow, string>;
  recent!: Table<RecentRow, string>;
  ui!: Table<UiRow, string>;
  constructor() {
    super('daiban-drafts');
    this.version(1).stores({ drafts: 'key, agentId, savedAt', recent: 'key', ui: 'key' });
  }
}

let db: DraftDb | null = null;
function getDb(): DraftDb | null {
  if (db) return db;
  try {
    db = new DraftDb();
    return db;
  } catch {
    return null; // IndexedDB unavailable: drafts are a convenience, the app works without them
  }
}

const DRAFT_TEXT: Record<DraftKind, string> = { intake: '受理登记', visit: '来访登记' };

/** "发现未完成的受理登记（保存于 14:05），是否恢复？" */
export function draftPrompt(kind: DraftKind, savedAt: number): string {
  // China time (UTC+8) whatever the laptop's time zone, like every other time the app shows.
  const china = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString();
  const saved = china(savedAt);
  const hhmm = saved.slice(11, 16);
  const sameDay = saved.slice(0, 10) === china(Date.now()).slice(0, 10);
  const when = sameDay ? hhmm : `${Number(saved.slice(5, 7))}月${Number(saved.slice(8, 10))}日 ${hhmm}`;
  return `发现未完成的${DRAFT_TEXT[kind]}（保存于 ${when}），是否恢复？`;
}

export function draftKey(kind: DraftKind, agentId: string): string {
  return `${kind}:${agentId}`;
}

export async function loadDraft(kind: DraftKind, agentId: string): Promise<DraftRow | undefined> {
  try {
    return await getDb()?.drafts.get(draftKey(kind, agentId));
  } catch {
    return undefined;
  }
}

export async function saveDraft(kind: DraftKind, agentId: string, data: unknown): Promise<void> {
  try {
    await getDb()?.drafts.put({ key: draftKey(kind, agentId), kind, agentId, savedAt: Date.now(), data });
  } catch {
    /* ignore: storage full or unavailable */
  }
}

export async function deleteDraft(kind: DraftKind, agentId: string): Promise<void> {
  try {
    await getDb()?.drafts.delete(draftKey(kind, agentId));
  } catch {
    /* ignore */
  }
}

/** Debounced autosave (≤300 ms). `save(data)` on every change; `flush()` writes at once; `cancel()` drops a pending write. */
export function useDraftAutosave(kind: DraftKind, agentId: string) {
  const timer = useRef<number | null>(null);
  const pending = useRef<unknown>(undefined);
  const api = useMemo(() => {
    const flush = () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = null;
      if (pending.current !== undefined) {
        const data = pending.current;
        pending.current = undefined;
        void saveDraft(kind, agentId, data);
      }
    };
    return {
      save(data: unknown) {
        pending.current = data;
        if (timer.current !== null) window.clearTimeout(timer.current);
        timer.current = window.setTimeout(flush, 250);
      },
      flush,
      cancel() {
        if (timer.current !== null) window.clearTimeout(timer.current);
        timer.current = null;
        pending.current = undefined;
      },
    };
  }, [kind, agentId]);
  useEffect(() => {
    const onHide = () => api.flush();
    window.addEventListener('beforeunload', onHide);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('beforeunload', onHide);
      window.removeEventListener('pagehide', onHide);
      api.flush();
    };
  }, [api]);
  return api;
}

const RECENT_MAX = 8;

export async function loadRecent(key: string): Promise<string[]> {
  try {
    return (await getDb()?.recent.get(key))?.items ?? [];
  } catch {
    return [];
  }
}

export async function pushRecent(key: string, item: string): Promise<string[]> {
  const v = item.trim();
  if (!v) return loadRecent(key);
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
