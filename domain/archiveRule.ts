// 归档 closes a case's file. A case that still owes something must not be closed: a promised 容缺
// material that has not arrived (it could then never be marked received), or a 差评 rectification
// that is still open (the 100% 差评 return-visit rule would be lost from sight). We refuse, with a
// message naming what is still open, rather than allowing it with a reason: nothing that is owed
// disappears from the 今日 lists by being archived.

export type ArchiveOpenItems = {
  /** 容缺 materials still owed: name and promised date. */
  owedMaterials: { name: string; promisedDate: string | null }[];
  /** Open 差评 rectifications: their due dates. */
  openRectifications: { dueDate: string }[];
};

/** Why the case cannot be archived yet, in plain Chinese; null when it may be. */
export function archiveBlocker(o: ArchiveOpenItems): string | null {
  const parts: string[] = [];
  if (o.owedMaterials.length) {
    const list = o.owedMaterials.map((m) => `“${m.name}”${m.promisedDate ? `（承诺 ${m.promisedDate} 前补交）` : ''}`).join('、');
    parts.push(`容缺材料${list}还没有补交，收到后在“材料”中标记已收`);
  }
  if (o.openRectifications.length) {
    const due = o.openRectifications.map((r) => r.dueDate).sort()[0];
    parts.push(`差评整改还没有完成（限 ${due} 前），完成后点“整改完成”登记整改情况`);
  }
  return parts.length ? `这件还不能归档：${parts.join('；')}。` : null;
}
