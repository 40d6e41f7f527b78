import type { ServiceContext } from '../api/context';

/**
 * Services the browser shell adds under plain Node: a PDF renderer (headless Chromium) and the
 * background sync loop. Each part is wired here once its module exists.
 */
export async function extendWithNodeServices(_ctx: ServiceContext): Promise<() => Promise<void>> {
  return async () => undefined;
}
