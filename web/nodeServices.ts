import type { ServiceContext } from '../api/context';
import { startAutoSync } from '../sync/village/autoSync';
import { closePdfRenderer } from '../print/pdfRenderer';

/** Services the browser shell runs beside the API under plain Node: the background sync loop, and
 * the headless Chromium that renders PDFs (started on first use), closed on shutdown. */
export async function extendWithNodeServices(ctx: ServiceContext): Promise<() => Promise<void>> {
  const sync = startAutoSync(ctx);
  return async () => {
    sync.stop();
    await closePdfRenderer();
  };
}
