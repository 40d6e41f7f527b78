// Unfinished form drafts, one per agent and form, kept in the register (see migration 004 for why).
// A draft is a convenience copy of what is being typed, not a record: writes bypass the ChangeWriter
// (no history, no outbox, never synced), and a draft is deleted once the form is saved or discarded.
import type { Register } from './register';

export type DraftKind = 'intake' | 'visit';
export type StoredDraft = { savedAt: number; data: unknown };

/** An abandoned draft is dropped after this long, so personal data typed once does not stay for ever. */
export const DRAFT_MAX_AGE_MS = 30 * 24 * 3_600_000;

export function loadDraft(reg: Register, agentId: string, kind: DraftKind): StoredDraft | null {
  purgeOldDrafts(reg);
  const row = reg.db.prepare(`SELECT saved_at, data FROM drafts WHERE agent_id = ? AND kind = ?`).get(agentId, kind) as
    | { saved_at: number; data: string }
    | undefined;
  if (!row) return null;
  try {
    return { savedAt: row.saved_at, data: JSON.parse(row.data) as unknown };
  } catch {
    deleteDraft(reg, agentId, kind); // unreadable: nothing to offer back
    return null;
  }
}

export function saveDraft(reg: Register, agentId: string, kind: DraftKind, data: unknown): { savedAt: number } {
  const savedAt = reg.clock.nowMs();
  reg.db
    .prepare(
      `INSERT INTO drafts(agent_id, kind, saved_at, data) VALUES (?, ?, ?, ?)
       ON CONFLICT(agent_id, kind) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data`,
    )
    .run(agentId, kind, savedAt, JSON.stringify(data ?? null));
  return { savedAt };
}

export function deleteDraft(reg: Register, agentId: string, kind: DraftKind): void {
  reg.db.prepare(`DELETE FROM drafts WHERE agent_id = ? AND kind = ?`).run(agentId, kind);
}

/** Drops every draft older than DRAFT_MAX_AGE_MS, whoever's it is; returns how many. */
export function purgeOldDrafts(reg: Register): number {
  return reg.db.prepare(`DELETE FROM drafts WHERE saved_at < ?`).run(reg.clock.nowMs() - DRAFT_MAX_AGE_MS).changes;
}
