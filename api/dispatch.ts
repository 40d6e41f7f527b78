// One entry point for every call from either shell: validate the input against its schema,
// run the handler, and turn any failure into a plain-Chinese error body (never a stack trace).
import { ZodError } from 'zod';
import { AppError } from '../domain/errors';
import { appLog, errorFields } from '../db/log';
import { API_INPUTS, type ApiMethod, type ApiResponse, type DaibanApi } from './contract';

function zodMessage(e: ZodError): string {
  const first = e.issues[0];
  if (!first) return '输入不正确';
  const msg = first.message;
  // zod's own English defaults are replaced by a generic Chinese sentence.
  return /[\u4e00-\u9fff]/.test(msg) ? msg : `输入不正确（${first.path.join('.') || '参数'}）`;
}

export async function dispatch(api: DaibanApi, method: string, rawInput: unknown): Promise<ApiResponse<ApiMethod>> {
  if (!Object.prototype.hasOwnProperty.call(API_INPUTS, method)) {
    return { ok: false, error: { code: 'invalid_input', message: `未知的操作：${method.slice(0, 40)}` } };
  }
  const m = method as ApiMethod;
  try {
    // The API object validates its own input (see api/service.ts).
    const fn = api[m] as (i: unknown) => Promise<unknown>;
    const started = performance.now();
    const value = await fn.call(api, rawInput ?? {});
    appLog().debug({ method: m, ms: Math.round(performance.now() - started) }, 'api');
    return { ok: true, value } as ApiResponse<ApiMethod>;
  } catch (e) {
    // The log gets the method and the error's code, never the input (it holds personal data).
    if (e instanceof ZodError) {
      appLog().info({ method: m, code: 'invalid_input', path: e.issues[0]?.path.join('.') }, 'api refused');
      return { ok: false, error: { code: 'invalid_input', message: zodMessage(e) } };
    }
    if (e instanceof AppError) {
      appLog().info({ method: m, code: e.code }, 'api refused');
      return { ok: false, error: { code: e.code, message: e.message } };
    }
    // Unexpected: say so plainly; details go to the log (logs/<program>.log), scrubbed of personal data.
    appLog().error({ method: m, ...errorFields(e) }, 'api failed');
    return { ok: false, error: { code: 'internal', message: '操作失败：程序内部错误，数据未改动。请重试，或运行“数据检查”。' } };
  }
}
