import type { Handlers, ServiceContext } from './context';
import type { SYNC_INPUTS, SyncOutputs } from './syncSchemas';

// Sync with the county (issue: 同步).
export function syncHandlers(_ctx: ServiceContext): Handlers<typeof SYNC_INPUTS, SyncOutputs> {
  return {};
}
