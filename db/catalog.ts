import { z } from 'zod';
import type { Register } from './register';
import { pinyinKeys } from '../domain/pinyin';
import type { CatalogItem, CatalogMaterial } from '../domain/records';
import { AppError } from '../domain/errors';

// Catalog files come from outside (the bundled demo, later the county): parse strictly.
const materialSchema = z.object({
  name: z.string().min(1).max(60),
  form: z.string().max(20).default(''),
  copies: z.number().int().min(0).max(99).default(1),
  required: z.boolean().default(true),
  deferrable: z.boolean().default(false),
});
const itemSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  name: z.string().min(1).max(100),
  /** Everyday words for the item (低保, 医保…), for search only. */
  keywords: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
  department: z.string().max(60).default(''),
  category: z.string().max(30).default(''),
  decidedAt: z.string().max(10).default(''),
  committedWorkdays: z.number().int().min(0).max(1000),
  legalWorkdays: z.number().int().min(0).max(1000).optional(),
  fee: z.number().min(0).default(0),
  pauseOnWait: z.boolean().default(false),
  active: z.boolean().default(true),
  materials: z.array(materialSchema).max(60).default([]),
});
export const catalogFileSchema = z.object({
  version: z.string().min(1).max(40),
  items: z.array(itemSchema).max(5000),
});
export type CatalogFile = z.infer<typeof catalogFileSchema>;

export function parseCatalogFile(json: unknown): CatalogFile {
  const r = catalogFileSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new AppError('invalid_input', `事项目录文件格式不正确（${i?.path.join('.') ?? ''}）`);
  }
  return r.data;
}

/**
 * Replaces the catalog with a published version. The catalog is the county's, so it is not a
 * village record and has no outbox entry; cases keep the item name and time limit they had at intake.
 */
export function importCatalog(reg: Register, file: CatalogFile): { items: number; version: string } {
  const now = reg.nowIso();
  const upsert = reg.db.prepare(`
    INSERT INTO catalog_items (code, name, name_pinyin, name_initials, keywords, keywords_pinyin, department, category, decided_at,
      committed_workdays, legal_workdays, fee, pause_on_wait, materials_json, catalog_version, active, updated_at)
    VALUES (@code, @name, @pinyin, @initials, @keywords, @keywordsPinyin, @department, @category, @decidedAt, @committedWorkdays, @legalWorkdays,
      @fee, @pauseOnWait, @materials, @version, @active, @now)
    ON CONFLICT(code) DO UPDATE SET name = excluded.name, name_pinyin = excluded.name_pinyin,
      name_initials = excluded.name_initials, keywords = excluded.keywords, keywords_pinyin = excluded.keywords_pinyin, department = excluded.department, category = excluded.category,
      decided_at = excluded.decided_at, committed_workdays = excluded.committed_workdays,
      legal_workdays = excluded.legal_workdays, fee = excluded.fee, pause_on_wait = excluded.pause_on_wait,
      materials_json = excluded.materials_json, catalog_version = excluded.catalog_version,
      active = excluded.active, updated_at = excluded.updated_at`);
  reg.tx(() => {
    // Items missing from a new version are retired, not deleted: old cases still point at them.
    reg.db.prepare(`UPDATE catalog_items SET active = 0`).run();
    for (const it of file.items) {
      const k = pinyinKeys(it.name);
      upsert.run({
        code: it.code,
        name: it.name,
        pinyin: k.full,
        initials: k.initials,
        keywords: it.keywords.join(' '),
        keywordsPinyin: it.keywords
          .map((w) => {
            const p = pinyinKeys(w);
            return `${p.full} ${p.initials}`;
          })
          .join(' '),
        department: it.department,
        category: it.category,
        decidedAt: it.decidedAt,
        committedWorkdays: it.committedWorkdays,
        legalWorkdays: it.legalWorkdays ?? null,
        fee: it.fee,
        pauseOnWait: it.pauseOnWait ? 1 : 0,
        materials: JSON.stringify(it.materials),
        version: file.version,
        active: it.active ? 1 : 0,
        now,
      });
    }
    reg.db.prepare(`INSERT INTO meta(key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(file.version);
  });
  return { items: file.items.length, version: file.version };
}

type ItemRow = {
  code: string;
  name: string;
  department: string;
  category: string;
  decided_at: string;
  committed_workdays: number;
  fee: number;
  pause_on_wait: number;
  materials_json: string;
};

function toItem(r: ItemRow): CatalogItem {
  return {
    code: r.code,
    name: r.name,
    department: r.department,
    category: r.category,
    decidedAt: r.decided_at,
    committedWorkdays: r.committed_workdays,
    fee: r.fee,
    pauseOnWait: r.pause_on_wait === 1,
    materials: JSON.parse(r.materials_json) as CatalogMaterial[],
  };
}

export function getCatalogItem(reg: Register, code: string): CatalogItem {
  const r = reg.db.prepare(`SELECT * FROM catalog_items WHERE code = ?`).get(code) as ItemRow | undefined;
  if (!r) throw new AppError('not_found', `事项目录中没有编码为 ${code} 的事项`);
  return toItem(r);
}

/** By name (汉字 substring), pinyin initials or full pinyin, an everyday keyword (低保 / db / dibao), or code. */
export function searchCatalog(reg: Register, q: string, limit: number): CatalogItem[] {
  const s = q.trim();
  if (!s) {
    return (reg.db.prepare(`SELECT * FROM catalog_items WHERE active = 1 ORDER BY code LIMIT ?`).all(limit) as ItemRow[]).map(toItem);
  }
  const lower = s.toLowerCase().replace(/\s+/g, '');
  const rows = reg.db
    .prepare(
      `SELECT * FROM catalog_items WHERE active = 1 AND (
         instr(name, ?) > 0 OR instr(name_initials, ?) > 0 OR instr(name_pinyin, ?) > 0
         OR instr(keywords, ?) > 0 OR instr(keywords_pinyin, ?) > 0 OR code LIKE ? || '%' COLLATE NOCASE)
       ORDER BY (instr(name_initials, ?) = 1 OR instr(name, ?) = 1 OR instr(keywords, ?) > 0 OR instr(' ' || keywords_pinyin, ' ' || ?) > 0) DESC, code LIMIT ?`,
    )
    .all(s, lower, lower, s, lower, s, lower, s, s, lower, limit) as ItemRow[];
  return rows.map(toItem);
}

export function importHolidayTables(
  reg: Register,
  tables: { year: number; source: string; off: string[]; work: string[] }[],
): number {
  const now = reg.nowIso();
  const put = reg.db.prepare(`INSERT INTO holiday_tables (year, source, off_json, work_json, received_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(year) DO UPDATE SET source = excluded.source, off_json = excluded.off_json, work_json = excluded.work_json, received_at = excluded.received_at`);
  reg.tx(() => {
    for (const t of tables) put.run(t.year, t.source, JSON.stringify(t.off), JSON.stringify(t.work), now);
  });
  reg.reloadCalendar();
  return tables.length;
}
