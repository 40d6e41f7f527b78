// Inputs and outputs of the prints and statistics methods (issue: 打印与统计).
export const REPORT_INPUTS = {} as const;
export type ReportOutputs = Record<never, never>;
