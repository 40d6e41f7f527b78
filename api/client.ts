// The renderer's side of the API: a typed object of async methods over whichever transport the
// shell provides (Electron preload or the loopback HTTP bridge). Errors come back as AppError.
import { AppError } from '../domain/errors';
import { type ApiMethod, type ApiResponse, type DaibanApi } from './contract';

export type Transport = (method: ApiMethod, input: unknown) => Promise<ApiResponse<ApiMethod>>;

export function createApiClient(transport: Transport): DaibanApi {
  return new Proxy({} as DaibanApi, {
    get(_target, prop) {
      if (typeof prop !== 'string') return undefined;
      return async (input: unknown) => {
        const res = await transport(prop as ApiMethod, input ?? {});
        if (!res.ok) throw new AppError(res.error.code, res.error.message);
        return res.value;
      };
    },
  });
}
