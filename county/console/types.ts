// What the county console's API returns: plain JSON shapes shared by the server (county/console/*)
// and the screens (built by Vite from the county console's React code). Browser-safe: imports only
// domain/ types. Dates are 'YYYY-MM-DD' (China calendar), times ISO 8601 UTC.
import type { CaseStatus } from '../../domain/caseStatus';
import type { DeadlineState } from '../../domain/deadlines';
import type { CaseMaterial, CatalogItem, Followup, Rectification } from '../../domain/records';
import type { StatFigures, CountFigure } from '../../domain/statistics';
import type { HandlingMode, Rating } from '../../domain/vocab';

export const ROLES = {
  admin: '县中心管理员',
  clerk: '县中心工作人员',
  township: '乡镇工作人员',
} as const;
export type Role = keyof typeof ROLES;

/** The signed-in account as the screens see it. */
export type Me = {
  id: string;
  /** Sign-in name (登录名). */
  name: string;
  displayName: string;
  role: Role;
  /** 9-digit township code for 乡镇工作人员, null for county staff. */
  townshipCode: string | null;
  townshipName: string | null;
  /** True after `county init` or a password reset: every route but changePassword/signOut/me refuses until changed. */
  mustChangePassword: boolean;
  /** Send back in the `x-csrf-token` header on every POST. */
  csrfToken: string;
  /** Minutes of inactivity after which the session ends. */
  idleMinutes: number;
};

export type Township = { code: string; name: string; points: number };
export type PointRef = { code: string; villageName: string; townshipCode: string; townshipName: string };
export type ItemRef = { code: string; name: string; department: string };

/** What the console needs to draw its menus and filters, limited to the account's scope. */
export type ScopeInfo = {
  county: { code: string; name: string };
  today: string;
  townships: Township[];
  points: PointRef[];
  items: ItemRef[];
  /** URL villages should enter as the county address (as printed on enrolment sheets). */
  publicUrl: string;
};

/** `totalCapped`: there are more than `total` (a search stops counting at 1000: shown as "1000+"). */
export type Page<T> = { total: number; rows: T[]; totalCapped?: boolean };

// ---- 总览 ----
export type PointHealth = PointRef & {
  devices: number;
  revokedDevices: number;
  /** Latest time any device of the point was heard from (batch, poll or file), null if never. */
  lastSyncAt: string | null;
  /** Whole days since lastSyncAt; null if never. */
  silentDays: number | null;
  /** Silent for more than 7 days (or never synced after enrolment). */
  silent: boolean;
  /** Batches held waiting for an earlier batch (a gap). */
  heldBatches: number;
  /** Rejected batches in the last 30 days. */
  rejectedBatches: number;
  /** Largest absolute clock offset of its devices, ms; null if never measured. */
  clockSkewMs: number | null;
  clockSkewText: string;
  cases: number;
};
export type Light = { red: number; amber: number };
export type TownshipLights = { code: string; name: string; lights: Light; villages: (PointRef & { lights: Light })[] };
export type Overview = {
  today: string;
  month: string;
  points: PointHealth[];
  figuresToday: StatFigures;
  figuresMonth: StatFigures;
  lights: TownshipLights[];
  openConflicts: number;
  openSupervisions: number;
};

// ---- 批次导入 ----
export type ImportFileResult = {
  fileName: string;
  result: 'imported' | 'already' | 'held' | 'rejected';
  applied: number;
  /** One Chinese line: 已导入 N 条变更… / 已导入过… / 已接收并暂存… / 拒绝：原因 */
  message: string;
  pointCode: string | null;
};
export type ImportLogRow = {
  id: number;
  at: string;
  source: string;
  pointCode: string | null;
  villageName: string | null;
  deviceId: string | null;
  fromSeq: number | null;
  toSeq: number | null;
  applied: number;
  result: 'imported' | 'already' | 'held' | 'rejected';
  reason: string;
};

// ---- 全县台账 ----
export type CountyCaseRow = {
  id: string;
  caseNo: string;
  pointCode: string;
  villageName: string;
  townshipName: string;
  applicantName: string;
  phoneMasked: string;
  itemCode: string;
  itemName: string;
  status: CaseStatus;
  handlingMode: HandlingMode;
  intakeDate: string;
  dueDate: string;
  decisionDate: string | null;
  deadline: DeadlineState | null;
  agentName: string;
  /** An open 督办 on this case. */
  supervised: boolean;
};
export type CountyTimelineEvent = {
  at: string;
  action: string;
  label: string;
  /** 代办员 name when known, else the device or 县中心. */
  who: string;
  source: 'village' | 'county';
};
export type Supervision = {
  id: string;
  caseId: string;
  caseNo: string;
  pointCode: string;
  villageName: string;
  townshipName: string;
  itemName: string;
  note: string;
  replyBy: string;
  createdAt: string;
  createdByName: string;
  /** open: waiting for the village; answered: the agent replied; closed: the county closed it. */
  state: 'open' | 'answered' | 'closed';
  /** Past replyBy without an answer. */
  late: boolean;
  /** Delivered to the village (a device of the point confirmed the reply that carried it). */
  delivered: boolean;
  answer: string | null;
  answeredAt: string | null;
  answeredByName: string | null;
};
export type CountyDecisionRecord = { id: string; action: string; decision: string | null; date: string; note: string; madeBy: string; madeAt: string };
export type CountyCaseDetail = CountyCaseRow & {
  /** Changes when anyone (village sync, county decision, 督办) changes the case: send back as expectedVersion. */
  version: string;
  applicant: {
    name: string;
    kind: string;
    idNumberMasked: string;
    phoneMasked: string;
    creditCodeMasked: string;
    villageGroup: string;
    address: string;
  };
  committedWorkdays: number;
  handedTo: string;
  handedAt: string | null;
  decision: string | null;
  decisionNote: string;
  decidedByCounty: boolean;
  deliveryMethod: string | null;
  deliveredAt: string | null;
  note: string;
  materials: CaseMaterial[];
  followups: Followup[];
  rectifications: Rectification[];
  timeline: CountyTimelineEvent[];
  supervisions: Supervision[];
  decisions: CountyDecisionRecord[];
  /** Which county decisions are possible now (the village's status rules). */
  canDecide: boolean;
  canReturn: boolean;
};

// ---- 冲突 ----
export type ConflictRow = {
  id: string;
  pointCode: string;
  villageName: string;
  caseId: string | null;
  caseNo: string | null;
  table: string;
  field: string;
  fieldLabel: string;
  villageValue: string | null;
  countyValue: string | null;
  villageAt: string;
  countyAt: string;
  /** Who made the county value (the decision's author). */
  countyBy: string;
  winner: 'village' | 'county';
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
};

// ---- 统计 ----
export type CountyGroupBy = 'township' | 'village' | 'item' | 'department' | 'mode' | 'agent';
export type CountyStatGroup = { key: string; label: string; figures: StatFigures };
export type CountyStatistics = {
  from: string;
  to: string;
  today: string;
  ref: string;
  scopeLabel: string;
  totals: StatFigures;
  groupBy: CountyGroupBy | null;
  groups: CountyStatGroup[];
};
export type CountyStatCaseRow = {
  id: string;
  caseNo: string;
  pointCode: string;
  villageName: string;
  applicantName: string;
  itemName: string;
  handlingMode: HandlingMode;
  status: CaseStatus;
  intakeDate: string;
  dueDate: string;
  decisionDate: string | null;
  agentName: string;
  rating: Rating | null;
};
export type { CountFigure, StatFigures };

// ---- 考评与周报 ----
export type EvaluationWeights = { onTimeRate: number; overdue: number; returnVisitRate: number; satisfactionRate: number; immediateRate: number };
export type EvaluationRow = PointRef & {
  figures: StatFigures;
  score: number;
  rankInTownship: number;
  redFlag: boolean;
  lagging: boolean;
  warned: boolean;
};
export type Evaluation = { month: string; weights: EvaluationWeights; /** Monthly automatic warnings on (set by the administrator). */ autoWarn?: boolean; townships: { code: string; name: string; rows: EvaluationRow[] }[] };
export type WeeklyRow = PointRef & { open: number; overdue: number; newCases: number; completed: number; poor: number };
export type WeeklyReport = { townshipCode: string; townshipName: string; from: string; to: string; rows: WeeklyRow[] };

// ---- 代办点与设备 ----
export type DeviceRow = {
  id: string;
  name: string;
  fingerprint: string;
  enrolledAt: string;
  enrolledVia: string;
  revokedAt: string | null;
  revokedReason: string;
  lastSeenAt: string | null;
  appliedThrough: number;
  clockSkewText: string;
};
export type PointRow = PointHealth & { deviceList: DeviceRow[]; catalogVersion: string | null };
export type EnrolTicket = {
  pointCode: string;
  villageName: string;
  /** XXXX-XXXX-XXXX-XXXX, shown large; only returned once. */
  code: string;
  expiresAt: string;
  countyName: string;
  countyUrl: string;
  /** PNG data URL of a QR code holding { url, code } for the village's enrolment screen. */
  qrDataUrl: string;
};

// ---- 发布 ----
/** A published catalog as stored (the catalog file's shape, defaults filled in): what 发布 edits. */
export type CatalogItemDraft = CatalogItem & { keywords: string[]; legalWorkdays?: number; active: boolean };
export type CatalogDraft = { version: string; items: CatalogItemDraft[] };
export type PublishedVersions = {
  catalog: { version: string; items: number; publishedAt: string }[];
  holidayYears: { year: number; source: string; receivedAt: string }[];
  /** Per point: the newest catalog version and holiday years its devices have confirmed. */
  points: (PointRef & { catalogVersion: string | null; holidayYears: number[]; upToDate: boolean })[];
};

// ---- 账号与审计 ----
export type Account = {
  id: string;
  name: string;
  displayName: string;
  role: Role;
  townshipCode: string | null;
  townshipName: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
};
export const AUDIT_KINDS = {
  signIn: '登录',
  signInFailed: '登录失败',
  signOut: '退出',
  passwordChanged: '修改密码',
  reveal: '查看完整证件号/电话',
  export: '导出/打印',
  import: '导入批次',
  decision: '县级决定',
  supervision: '督办',
  conflict: '处理冲突',
  publish: '发布',
  enrol: '登记代办点/设备',
  revoke: '停用设备',
  account: '账号管理',
  evaluation: '考评',
  village: '代办点查看号码/导出/备份/恢复',
} as const;
export type AuditKind = keyof typeof AUDIT_KINDS;
export type AuditRow = { id: number; at: string; kind: AuditKind; kindLabel: string; userName: string; summary: string; ip: string };

export type OneTimePassword = { account: Account; password: string };
