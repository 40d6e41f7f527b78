import type { Handlers, ServiceContext } from './context';
import type { REPORT_INPUTS, ReportOutputs } from './reportSchemas';

// Prints and statistics (issue: 打印与统计).
export function reportHandlers(_ctx: ServiceContext): Handlers<typeof REPORT_INPUTS, ReportOutputs> {
  return {};
}
