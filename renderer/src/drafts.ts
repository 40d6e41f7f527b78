// Unfinished form drafts (受理登记, 来访登记), one per agent and form. They are kept by the register in
// its data folder (api saveDraft/loadDraft/deleteDraft), so they come back after either shell restarts
// — the browser shell's port and origin change per launch — and leave nothing personal in the browser
// profile. Saving is debounced and best effort: a failed draft write never interrupts typing.
import { useEffect, useMemo, useRef } from 'react';
import { api } from './api';
import { takeLegacyDrafts } from './localStore';

export type DraftKind = 'intake' | 'visit';
export type Draft = { savedAt: number; data: unknown };

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

export async function loadDraft(kind: DraftKind, agentId: string): Promise<Draft | undefined> {
  try {
    return (await api.loadDraft({ kind, agentId })) ?? undefined;
  } catch {
    return undefined; // service unreachable: the form opens empty, nothing is lost on the register side
  }
}

export async function saveDraft(kind: DraftKind, agentId: string, data: unknown): Promise<void> {
  try {
    await api.saveDraft({ kind, agentId, data });
  } catch {
    /* ignore: the next change tries again */
  }
}

export async function deleteDraft(kind: DraftKind, agentId: string): Promise<void> {
  try {
    await api.deleteDraft({ kind, agentId });
  } catch {
    /* ignore */
  }
}

/**
 * Drafts an earlier version kept in this browser profile move to the register (unless it already has a
 * newer one) and are removed from the profile.
 */
export async function moveLegacyDrafts(agentId: string): Promise<void> {
  await takeLegacyDrafts(agentId, async (row) => {
    const current = await api.loadDraft({ kind: row.kind, agentId });
    if (!current) await api.saveDraft({ kind: row.kind, agentId, data: row.data });
  });
}

/** Debounced autosave (≤300 ms). `save(data)` on every change; `flush()` writes at once; `cancel()` drops a pending write. */
export function useDraftAutosave(kind: DraftKind, agentId: string) {
  const timer = useRef<number | null>(null);
  const pending = useRef<unknown>(undefined);
  const autosave = useMemo(() => {
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
    const onHide = () => autosave.flush();
    window.addEventListener('beforeunload', onHide);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('beforeunload', onHide);
      window.removeEventListener('pagehide', onHide);
      autosave.flush();
    };
  }, [autosave]);
  return autosave;
}
