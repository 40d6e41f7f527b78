import type { z } from 'zod';
import { API_INPUTS, type ApiMethod, type DaibanApi } from './contract';
import type { ServiceContext } from './context';
import { registerHandlers } from './registerService';
import { reportHandlers } from './reportService';
import { syncHandlers } from './syncService';

/**
 * The whole backend as one object of async methods. Each method validates its own input, so
 * in-process callers (CLI, tests) get the same checks as the two shells.
 */
export function createDaibanApi(ctx: ServiceContext): DaibanApi {
  const handlers = { ...registerHandlers(ctx), ...reportHandlers(ctx), ...syncHandlers(ctx) } as Record<
    ApiMethod,
    (input: unknown) => Promise<unknown>
  >;
  const api = {} as Record<ApiMethod, (input: unknown) => Promise<unknown>>;
  for (const m of Object.keys(API_INPUTS) as ApiMethod[]) {
    const schema = API_INPUTS[m] as z.ZodType;
    api[m] = async (input: unknown) => handlers[m](schema.parse(input ?? {}));
  }
  return api as unknown as DaibanApi;
}
