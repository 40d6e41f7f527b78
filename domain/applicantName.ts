// A known ID number (or credit code) typed with another name. The register never silently renames
// a person: the agent says which is true, and the choice is kept.
//   correct — the record's name was wrong: it is corrected, and the correction goes into the history;
//   keep    — this time's typing was wrong: the stored name stays, and the new case uses it.
// Either way, every case keeps the name and phone as at its own intake (cases.intake_applicant_*),
// so earlier cases' prints do not change.

export const NAME_CHOICES = {
  correct: '档案中的姓名有误，更正为这次填写的姓名（记入修改记录）',
  keep: '这次输入有误，保留档案中的姓名',
} as const;
export type NameChoice = keyof typeof NAME_CHOICES;

/** Names compare without surrounding or inner spaces and with one middle dot (少数民族姓名 “·”). */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, '').replace(/[•・･‧∙]/g, '·');
}

export function namesDiffer(stored: string, typed: string): boolean {
  return normaliseName(stored) !== normaliseName(typed);
}

/** What the agent is asked (and what the CLI or an API caller reads when it did not say). */
export function nameConflictMessage(stored: string, typed: string, kind: 'person' | 'org'): string {
  const doc = kind === 'org' ? '统一社会信用代码' : '身份证号码';
  return `这个${doc}已登记为“${stored}”，这次填写的是“${typed}”。请确认：${NAME_CHOICES.correct}，还是${NAME_CHOICES.keep}？`;
}

/** The history note of a correction. */
export function nameCorrectionNote(from: string, to: string): string {
  return `申请人姓名由“${from}”更正为“${to}”（代办员确认档案姓名有误）`;
}
