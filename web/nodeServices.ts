import type { ServiceContext } from '../api/context';
import { startAutoSync } from '../sync/autoSync';

/** Services the browser shell runs beside the API under plain Node: the background sync loop. */
export async function extendWithNodeServices(ctx: ServiceContext): Promise<() => Promise<void>> {
  const sync = startAutoSync(ctx);
  return async () => sync.stop();
}
