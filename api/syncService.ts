import type { Handlers, ServiceContext } from './context';
import type { SYNC_INPUTS, SyncOutputs } from './syncSchemas';
import { enrolByCode, enrolByFile, exportBatches, importReplyFile, runSync, syncStatus } from '../sync/village/engine';
import { listConflicts, resolveConflict } from '../sync/village/state';

// Sync with the county (issue: 同步). Status is readable without signing in (the status bar is
// part of the frame); everything that changes something needs a signed-in agent.
export function syncHandlers(ctx: ServiceContext): Handlers<typeof SYNC_INPUTS, SyncOutputs> {
  return {
    async syncStatus() {
      return syncStatus(ctx.reg);
    },
    async syncNow() {
      ctx.requireAgent();
      return runSync(ctx.reg);
    },
    async enrolWithCode({ url, code }) {
      ctx.requireAgent();
      return enrolByCode(ctx.reg, url, code);
    },
    async enrolWithFile({ path }) {
      ctx.requireAgent();
      return enrolByFile(ctx.reg, path);
    },
    async exportBatches({ dir }) {
      ctx.requireAgent();
      return exportBatches(ctx.reg, dir);
    },
    async importReply({ path }) {
      ctx.requireAgent();
      return importReplyFile(ctx.reg, path);
    },
    async listConflicts({ includeResolved }) {
      ctx.requireAgent();
      return listConflicts(ctx.reg, includeResolved);
    },
    async resolveConflict({ id, note }) {
      return resolveConflict(ctx.reg, id, note, ctx.requireAgent());
    },
  };
}
