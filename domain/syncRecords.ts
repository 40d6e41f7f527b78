// Shapes of what sync reports to the user (status, results, conflicts), shared by the village's sync code and the API.

/** One thing the county sent that was applied here (catalog, holiday table, decision on a case). */
export type DownstreamSummary = { id: string; kind: 'catalog' | 'holidays' | 'decision' | 'supervision' | 'warning' | 'resolution'; appliedAt: string; summary: string };

export type SyncStatus = {
  enrolled: boolean;
  /** Enrolled by file and the county has not yet acknowledged this computer. */
  awaitingConfirmation: boolean;
  countyName: string | null;
  countyCode: string | null;
  pointCode: string | null;
  url: string | null;
  deviceFingerprint: string | null;
  countyFingerprint: string | null;
  /** null until the county was tried once since the program started. */
  online: boolean | null;
  checkedAt: string | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  /** Changes recorded here that the county has not acknowledged yet. */
  waiting: number;
  lastError: string | null;
  running: boolean;
  /** upload: changes sent; download: the point's records received (a replacement laptop's first sync). */
  progress: { done: number; total: number; phase?: 'upload' | 'download' } | null;
  /** The point's records received from the county (relay; a replacement laptop's download), kept across restarts. */
  pointRecords?: { done: number; total: number; complete: boolean };
  nextAttemptAt: string | null;
  recentDownstream: DownstreamSummary[];
  conflicts: number;
};

export type SyncRunResult = {
  uploaded: number;
  acked: number;
  waiting: number;
  applied: DownstreamSummary[];
  conflicts: number;
  message: string;
};

export type EnrolResult = {
  countyName: string;
  countyCode: string;
  pointCode: string;
  unitName: string;
  method: 'code' | 'file';
  catalogVersion: string;
  catalogItems: number;
  holidayYears: number[];
  dueDatesChanged: number;
  deviceFingerprint: string;
  countyFingerprint: string;
  message: string;
};

export type ExportedBatch = { path: string; fromSeq: number; toSeq: number; count: number; bytes: number };
export type ExportResult = { files: ExportedBatch[]; changes: number; message: string };

export type ReplyResult = {
  acked: number;
  waiting: number;
  applied: DownstreamSummary[];
  conflicts: number;
  nothingNew: boolean;
  warnings: string[];
  message: string;
};

export type SyncConflict = {
  id: string;
  entity: string;
  entityLabel: string;
  entityId: string;
  /** Case number when the record is (or belongs to) a case. */
  caseNo: string | null;
  field: string;
  fieldLabel: string;
  localValue: string | null;
  remoteValue: string | null;
  winner: 'local' | 'remote';
  reason: string;
  detectedAt: string;
  resolvedAt: string | null;
  resolvedNote: string;
};
