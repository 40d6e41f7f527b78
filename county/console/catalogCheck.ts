// A catalog edited on the 发布 screen, checked before it is published, with messages that name the
// item and the field in the clerk's words (the strict file schema in db/catalog.ts, which runs after
// this, would only say which JSON path is wrong). Nothing is stored when a check fails.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkCatalogDraft(json: unknown): void {
  if (!isObj(json)) throw new Error('事项目录格式不正确：应为包含版本号和事项列表的对象');
  const version = json.version;
  if (typeof version !== 'string' || !version.trim()) throw new Error('请填写事项目录的版本号（例如 2026.2）');
  if (version.length > 40) throw new Error('版本号不能超过 40 个字符');
  const items = json.items;
  if (!Array.isArray(items)) throw new Error('事项目录格式不正确：缺少事项列表');
  if (items.length === 0) throw new Error('事项目录里至少要有一个事项');
  const codes = new Map<string, number>();
  items.forEach((raw, i) => {
    const n = i + 1;
    if (!isObj(raw)) throw new Error(`第 ${n} 个事项格式不正确`);
    const name = typeof raw.name === 'string' ? raw.name.trim() : '';
    const who = name ? `第 ${n} 个事项“${name}”` : `第 ${n} 个事项`;
    if (!name) throw new Error(`${who}缺少事项名称`);
    if (name.length > 100) throw new Error(`${who}的名称超过 100 个字`);
    const code = typeof raw.code === 'string' ? raw.code.trim() : '';
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(code)) throw new Error(`${who}的事项编码“${code}”无效：只能用字母、数字、短横线和下划线，最多 40 个字符`);
    const dup = codes.get(code);
    if (dup !== undefined) throw new Error(`${who}的事项编码 ${code} 与第 ${dup} 个事项重复，每个事项的编码必须不同`);
    codes.set(code, n);
    const days = raw.committedWorkdays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 1000) throw new Error(`${who}的承诺时限应为 0–1000 之间的整数（工作日；0 表示即办）`);
    const legal = raw.legalWorkdays;
    if (legal !== undefined && legal !== null) {
      if (typeof legal !== 'number' || !Number.isInteger(legal) || legal < 0 || legal > 1000) throw new Error(`${who}的法定时限应为 0–1000 之间的整数（工作日）`);
      if (days > legal) throw new Error(`${who}的承诺时限（${days} 个工作日）不能长于法定时限（${legal} 个工作日）`);
    }
    const fee = raw.fee ?? 0;
    if (typeof fee !== 'number' || !Number.isFinite(fee) || fee < 0) throw new Error(`${who}的收费金额应为不小于 0 的数（元；不收费填 0）`);
    if (raw.department !== undefined && (typeof raw.department !== 'string' || raw.department.length > 60)) throw new Error(`${who}的承办部门不能超过 60 个字`);
    const materials = raw.materials ?? [];
    if (!Array.isArray(materials)) throw new Error(`${who}的材料清单格式不正确`);
    if (materials.length > 60) throw new Error(`${who}的材料超过 60 项`);
    const names = new Set<string>();
    materials.forEach((m, j) => {
      if (!isObj(m) || typeof m.name !== 'string' || !m.name.trim()) throw new Error(`${who}的第 ${j + 1} 项材料缺少名称`);
      const mn = m.name.trim();
      if (mn.length > 60) throw new Error(`${who}的材料“${mn.slice(0, 20)}…”名称超过 60 个字`);
      if (names.has(mn)) throw new Error(`${who}的材料“${mn}”重复`);
      names.add(mn);
      if (m.copies !== undefined && (typeof m.copies !== 'number' || !Number.isInteger(m.copies) || m.copies < 0 || m.copies > 99)) throw new Error(`${who}的材料“${mn}”份数应为 0–99 的整数`);
      if (m.deferrable === true && m.required === false) throw new Error(`${who}的材料“${mn}”不是必需材料，无需标为可容缺`);
    });
  });
}
