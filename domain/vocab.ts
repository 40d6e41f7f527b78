// The controlled vocabularies of the register. Stored values are short ASCII codes so that
// the database, the sync payloads and the county stay stable if a label is reworded.

export const HANDLING_MODES = {
  guide: '领办',
  proxy: '代办',
  transfer: '转办',
  supervise: '督办',
} as const;
export type HandlingMode = keyof typeof HANDLING_MODES;

export const MATERIAL_STATES = {
  original: '已收原件',
  copy: '已收复印件',
  both: '已收原件及复印件',
  missing: '缺',
  deferred: '容缺后补',
  notNeeded: '无需提供',
} as const;
export type MaterialState = keyof typeof MATERIAL_STATES;

// Where an original document in the agent's hands currently is.
export const CUSTODY_STATES = {
  none: '未代管',
  held: '代办点保管',
  forwarded: '已随件报送',
  returned: '已退还申请人',
} as const;
export type CustodyState = keyof typeof CUSTODY_STATES;

export const DECISIONS = {
  approved: '准予',
  refused: '不予',
} as const;
export type Decision = keyof typeof DECISIONS;

export const DELIVERY_METHODS = {
  inPerson: '当面送达',
  agentVisit: '上门送达',
  mail: '邮寄送达',
  selfCollect: '申请人自取',
  electronic: '电子送达',
} as const;
export type DeliveryMethod = keyof typeof DELIVERY_METHODS;

export const VISIT_CHANNELS = {
  walkIn: '来访',
  phone: '来电',
  letter: '来信',
  online: '网络',
  mobileService: '流动服务',
} as const;
export type VisitChannel = keyof typeof VISIT_CHANNELS;

export const VISIT_CATEGORIES = {
  consult: '咨询',
  help: '求助',
  errand: '办事',
  complaint: '投诉',
  report: '反映问题',
  dispute: '矛盾纠纷',
} as const;
export type VisitCategory = keyof typeof VISIT_CATEGORIES;

export const VISIT_HANDLINGS = {
  answered: '当场答复',
  transferred: '转办',
  toCase: '登记为代办件',
  mediated: '调解化解',
  escorted: '领访',
  assistedComplaint: '协诉',
} as const;
export type VisitHandling = keyof typeof VISIT_HANDLINGS;

export const FOLLOWUP_KINDS = {
  feedback: '进度反馈',
  returnVisit: '办结回访',
  rectification: '差评整改回访',
} as const;
export type FollowupKind = keyof typeof FOLLOWUP_KINDS;

export const FOLLOWUP_METHODS = {
  phone: '电话',
  home: '上门',
  inPerson: '当面',
  sms: '短信',
  wechat: '微信',
} as const;
export type FollowupMethod = keyof typeof FOLLOWUP_METHODS;

// 好差评 five levels, best first; 4 and 5 are 差评.
export const RATINGS = {
  1: '非常满意',
  2: '满意',
  3: '基本满意',
  4: '不满意',
  5: '非常不满意',
} as const;
export type Rating = 1 | 2 | 3 | 4 | 5;
export const RATING_VALUES: readonly Rating[] = [1, 2, 3, 4, 5];
export function isPoorRating(r: Rating): boolean {
  return r >= 4;
}
export function isSatisfiedRating(r: Rating): boolean {
  return r <= 3;
}

export const APPLICANT_KINDS = { person: '个人', org: '组织' } as const;
export type ApplicantKind = keyof typeof APPLICANT_KINDS;

export function labelOf<T extends Record<string, string>>(table: T, key: string | null | undefined): string {
  if (key == null) return '';
  return (table as Record<string, string>)[key] ?? key;
}
