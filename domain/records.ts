// Data shapes that cross the API boundary (renderer ⇄ main/bridge). Plain JSON only.
import type { CaseAction, CaseStatus } from './caseStatus';
import type {
  ApplicantKind,
  CustodyState,
  Decision,
  DeliveryMethod,
  FollowupKind,
  FollowupMethod,
  HandlingMode,
  MaterialState,
  Rating,
  VisitCategory,
  VisitChannel,
  VisitHandling,
} from './vocab';
import type { DeadlineState } from './deadlines';

export type PointInfo = {
  villageCode: string;
  villageName: string;
  townshipName: string;
  countyName: string;
  unitName: string;
  consultPhone: string;
  complaintPhone: string;
  idleLockMinutes: number;
};

export type AgentSummary = {
  id: string;
  name: string;
  phoneMasked: string;
  active: boolean;
  /** Relayed from another laptop of the point: no PIN on this laptop yet (PINs never leave a laptop). */
  noPinHere?: boolean;
};

export type AppState = {
  initialized: boolean;
  point: PointInfo | null;
  agents: AgentSummary[];
  currentAgent: AgentSummary | null;
  /** Plain-language warnings to show in the UI, e.g. a missing holiday table for a year. */
  calendarWarnings: string[];
  today: string;
  /** The China date the point started using this register: 受理/来访 dates may go back a year before it (domain/dateBounds.ts). */
  pointSince: string | null;
  dataDir: string;
  schemaVersion: number;
  shell: 'electron' | 'web';
  /** The register is encrypted (keys.json beside it); false only for a register from before encryption. */
  encrypted: boolean;
  /** Encrypted and not opened yet: the sign-in screen shows names from keys.json; a PIN opens it. */
  registerLocked: boolean;
};

/** Shown once, right after setup or after an old plain register was encrypted: to be printed and sealed. */
export type RecoveryNotice = { recoveryCode: string; unitName: string; createdAt: string; removedPlainCopies: number };

export type CatalogMaterial = {
  name: string;
  form: string;
  copies: number;
  required: boolean;
  deferrable: boolean;
};

export type CatalogItem = {
  code: string;
  name: string;
  department: string;
  category: string;
  decidedAt: string;
  committedWorkdays: number;
  fee: number;
  pauseOnWait: boolean;
  materials: CatalogMaterial[];
};

export type Applicant = {
  id: string;
  kind: ApplicantKind;
  name: string;
  /** Masked unless revealed on purpose via revealApplicant. */
  idNumberMasked: string;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  creditCodeMasked: string;
  phoneMasked: string;
  villageGroup: string;
  address: string;
};

export type CaseMaterial = {
  id: string;
  position: number;
  name: string;
  form: string;
  copies: number;
  required: boolean;
  deferrable: boolean;
  state: MaterialState;
  promisedDate: string | null;
  receivedAt: string | null;
  custody: CustodyState;
};

export type TimelineEvent = {
  id: string;
  at: string;
  action: string;
  label: string;
  agentName: string;
  note: string;
};

export type Followup = {
  id: string;
  kind: FollowupKind;
  method: FollowupMethod;
  reached: boolean;
  rating: Rating | null;
  efficiency: Rating | null;
  serviceLevel: Rating | null;
  attitude: Rating | null;
  comment: string;
  followDate: string;
  agentName: string;
};

export type Rectification = {
  id: string;
  caseId: string;
  caseNo: string;
  applicantName: string;
  openedDate: string;
  dueDate: string;
  status: 'open' | 'closed';
  actionNote: string;
  closedDate: string | null;
  overdue: boolean;
};

/** A row in case lists: enough to recognise the case, with personal data masked. */
export type CaseRow = {
  id: string;
  caseNo: string;
  applicantName: string;
  phoneMasked: string;
  itemCode: string;
  itemName: string;
  status: CaseStatus;
  handlingMode: HandlingMode;
  intakeDate: string;
  dueDate: string;
  dueEstimated: boolean;
  decisionDate: string | null;
  deadline: DeadlineState | null;
  backfilled: boolean;
  agentName: string;
};

export type CaseDetail = CaseRow & {
  applicant: Applicant;
  committedWorkdays: number;
  waitingWorkdays: number;
  handedTo: string;
  handedAt: string | null;
  decision: Decision | null;
  decisionNote: string;
  deliveryMethod: DeliveryMethod | null;
  deliveredAt: string | null;
  deliveredTo: string;
  withdrawReason: string;
  refusalReason: string;
  note: string;
  visitId: string | null;
  /** The applicant's name and phone as they were at intake: what this case's own prints show. */
  applicantAtIntake: { name: string; phoneMasked: string };
  materials: CaseMaterial[];
  followups: Followup[];
  rectifications: Rectification[];
  timeline: TimelineEvent[];
  allowedActions: CaseAction[];
  /** Why 归档 is refused for now (容缺 material owed, 差评 rectification open); null when it is allowed. */
  archiveBlockedReason: string | null;
  /** What the follow-up rules still expect for this case. */
  feedbackDue: string | null;
  returnVisitDue: string | null;
  createdAt: string;
  createdByName: string;
};

/** `totalCapped`: counting stopped at `total` and there are more (the county's searches: "1000+"). */
export type Page<T> = { total: number; rows: T[]; totalCapped?: boolean };

export type Visit = {
  id: string;
  visitedAt: string;
  visitDate: string;
  backfilled: boolean;
  visitorName: string;
  visitorPhoneMasked: string;
  visitorCount: number;
  channel: VisitChannel;
  category: VisitCategory;
  summary: string;
  handling: VisitHandling;
  transferredTo: string;
  outcome: string;
  settledDate: string | null;
  caseId: string | null;
  caseNo: string | null;
  agentName: string;
};

export type TodayList = { count: number; rows: CaseRow[] };

export type MaterialDueRow = {
  caseId: string;
  caseNo: string;
  applicantName: string;
  materialName: string;
  promisedDate: string;
  overdue: boolean;
};

export type FollowupDueRow = {
  caseId: string;
  caseNo: string;
  applicantName: string;
  itemName: string;
  kind: FollowupKind;
  dueDate: string;
  overdue: boolean;
};

/** A 督办 notice or 考评预警 from the county, shown on 今日 until the agent answers. */
export type CountyNotice = {
  id: string;
  kind: 'supervision' | 'warning';
  caseId: string | null;
  caseNo: string;
  note: string;
  replyBy: string | null;
  month: string | null;
  receivedAt: string;
  /** Past its reply-by date. */
  late: boolean;
};

export type TodaySummary = {
  today: string;
  /** 督办 and 考评预警 from the county not yet answered. */
  countyNotices: { count: number; rows: CountyNotice[] };
  overdue: TodayList;
  dueSoon: TodayList;
  materialsDue: { count: number; rows: MaterialDueRow[] };
  feedbackDue: { count: number; rows: FollowupDueRow[] };
  returnVisitsDue: { count: number; rows: FollowupDueRow[] };
  rectificationsDue: { count: number; rows: Rectification[] };
};

export type BackupInfo = { path: string; createdAt: string; bytes: number };

/** What the restore screen shows before anything is replaced (read from the file, or its key file). */
export type BackupInspection = BackupInfo & {
  encrypted: boolean;
  /** False when this laptop's key opens it (or it is plain); true when it needs a PIN of its agents or its recovery code. */
  needsSecret: boolean;
  /** The point the backup belongs to (null: a register from before first-run setup). */
  pointCode: string | null;
  unitName: string | null;
  /** The agents whose PIN opens it (when `needsSecret`). */
  agents: { id: string; name: string }[];
};

export type DoctorReport = { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
