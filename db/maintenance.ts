// The daily housekeeping both shells start a few seconds after opening the register: the daily
// backup first (so it still holds every payload), then outbox compaction. Failures are logged and
// never reach the agent's screen: the work is retried at the next start.
import type { Register } from './register';
import { dailyBackupIfDue } from './backup';
import { appLog, errorFields } from './log';
import { compactAcknowledgedOutbox, reclaimSpace } from './outboxCompaction';

export async function dailyMaintenance(reg: Register): Promise<void> {
  try {
    const b = await dailyBackupIfDue(reg);
    if (b) appLog().info({ bytes: b.bytes }, 'daily backup');
  } catch (e) {
    appLog().error(errorFields(e), 'daily backup failed');
  }
  try {
    const started = Date.now();
    const r = compactAcknowledgedOutbox(reg);
    if (r.compacted) appLog().info({ compacted: r.compacted, through: r.through, freedBytes: r.freedBytes, ms: Date.now() - started }, 'outbox compacted');
    const v = reclaimSpace(reg, r.freedBytes);
    if (v.vacuumed) appLog().info({ beforeBytes: v.beforeBytes, afterBytes: v.afterBytes, ms: Date.now() - started }, 'register vacuumed');
  } catch (e) {
    appLog().error(errorFields(e), 'outbox compaction failed');
  }
}
