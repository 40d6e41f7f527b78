// The console's one way to reach the county service: same-origin fetch with the session cookie, the
// CSRF token on every state-changing request, and a plain-Chinese AppError for every failure. A 401
// (session expired or signed out elsewhere) tells the app to show the sign-in again.
import { CONSOLE_ROUTES, consoleUrl, type ConsoleInput, type ConsoleOutputs, type ConsoleRoute } from '../../county/console/contract';
import { AppError, type ErrorCode } from '../../domain/errors';

type Listener = () => void;
const sessionLostListeners = new Set<Listener>();

/** Called when the server says nobody is signed in any more (idle expiry, signed out in another tab). */
export function onSessionLost(fn: Listener): () => void {
  sessionLostListeners.add(fn);
  return () => sessionLostListeners.delete(fn);
}

let csrfToken: string | null = null;

/** The session's CSRF token, as handed out by the server with the session (sign-in, who-am-I). */
export function setCsrfToken(t: string | null): void {
  csrfToken = t;
}

const ERROR_CODES: ErrorCode[] = ['invalid_input', 'not_signed_in', 'not_initialized', 'not_found', 'conflict', 'refused', 'throttled', 'internal'];

function statusText(status: number): { code: ErrorCode; message: string } {
  if (status === 401) return { code: 'not_signed_in', message: '登录已失效，请重新登录。' };
  if (status === 403) return { code: 'refused', message: '您的账号没有这项操作的权限。' };
  if (status === 404) return { code: 'not_found', message: '没有找到要查看的内容，可能已被删除或不在您的管辖范围内。' };
  if (status === 409) return { code: 'conflict', message: '内容已被其他人修改，请刷新后再试。' };
  if (status === 413) return { code: 'invalid_input', message: '上传的文件太大，超过县级服务允许的上限。' };
  if (status === 429) return { code: 'throttled', message: '操作太频繁，请稍后再试。' };
  if (status >= 500) return { code: 'internal', message: `县级服务暂时出错（${status}），请稍后重试。` };
  return { code: 'invalid_input', message: `请求未被接受（${status}）。` };
}

function fail(code: ErrorCode, message: string): never {
  if (code === 'not_signed_in') for (const fn of sessionLostListeners) fn();
  throw new AppError(code, message);
}

/** Reads the server's `{ ok:false, error:{code,message} }` into an AppError with its Chinese message. */
function failFromBody(status: number, text: string): never {
  const fallback = statusText(status);
  let code = fallback.code;
  let message = fallback.message;
  try {
    const j = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (j.error?.message && /[\u4e00-\u9fff]/.test(j.error.message)) message = j.error.message;
    if (j.error?.code && (ERROR_CODES as string[]).includes(j.error.code)) code = j.error.code as ErrorCode;
  } catch {
    /* not JSON: keep the status text */
  }
  if (status === 401) code = 'not_signed_in';
  return fail(code, message);
}

function send(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body: XMLHttpRequestBodyInit | null,
  onProgress?: (fraction: number) => void,
): Promise<{ status: number; type: string; disposition: string; blob: Blob }> {
  // XMLHttpRequest rather than fetch: it reports upload progress (批次导入 shows it per file).
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    xhr.responseType = 'blob';
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    if (onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
    }
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        type: xhr.getResponseHeader('content-type') ?? '',
        disposition: xhr.getResponseHeader('content-disposition') ?? '',
        blob: xhr.response as Blob,
      });
    xhr.onerror = () => reject(new AppError('internal', '无法连接到县级服务，请检查网络后重试。'));
    xhr.send(body);
  });
}

export type FileAnswer = { blob: Blob; fileName: string };

function fileNameOf(disposition: string, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

async function raw<R extends ConsoleRoute>(
  route: R,
  input: ConsoleInput<R>,
  opts: { file?: Blob; fileName?: string; onProgress?: (f: number) => void } = {},
): Promise<{ status: number; type: string; disposition: string; blob: Blob }> {
  const d = CONSOLE_ROUTES[route];
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (d.method === 'POST' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (d.method === 'GET') return send('GET', consoleUrl(route, input), headers, null);
  if (d.kind === 'upload') {
    headers['content-type'] = 'application/octet-stream';
    headers['x-file-name'] = encodeURIComponent(opts.fileName ?? 'batch');
    return send('POST', d.path, headers, opts.file ?? null, opts.onProgress);
  }
  headers['content-type'] = 'application/json';
  return send('POST', d.path, headers, JSON.stringify(input ?? {}));
}

/** One JSON call to the console API. Resolves with the value; throws AppError with a Chinese message. */
export async function call<R extends ConsoleRoute>(
  route: R,
  input: ConsoleInput<R>,
  opts: { file?: Blob; fileName?: string; onProgress?: (f: number) => void } = {},
): Promise<ConsoleOutputs[R]> {
  const res = await raw(route, input, opts);
  const text = await res.blob.text();
  if (res.status < 200 || res.status >= 300) failFromBody(res.status, text);
  let body: { ok: boolean; value?: unknown; error?: { code?: string; message?: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new AppError('internal', `县级服务返回了无法识别的结果（${res.status}），请重试。`);
  }
  if (!body.ok) failFromBody(400, text);
  return body.value as ConsoleOutputs[R];
}

/** A file route (PDF, xlsx, reply or enrolment file): the bytes and the name the server gives them. */
export async function fetchFile<R extends ConsoleRoute>(route: R, input: ConsoleInput<R>, fallbackName: string): Promise<FileAnswer> {
  const res = await raw(route, input);
  if (res.status < 200 || res.status >= 300 || res.type.includes('application/json')) failFromBody(res.status >= 300 ? res.status : 400, await res.blob.text());
  return { blob: res.blob, fileName: fileNameOf(res.disposition, fallbackName) };
}

/** Saves a file answer through the browser's download. */
export function saveFile(f: FileAnswer): void {
  const href = URL.createObjectURL(f.blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = f.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Fetches a file route and saves it; resolves with the file name. */
export async function download<R extends ConsoleRoute>(route: R, input: ConsoleInput<R>, fallbackName: string): Promise<string> {
  const f = await fetchFile(route, input, fallbackName);
  saveFile(f);
  return f.fileName;
}
