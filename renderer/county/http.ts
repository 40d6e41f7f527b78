// The console's one way to reach the county service: same-origin fetch with the session cookie, the
// CSRF token on every state-changing request, and a plain-Chinese AppError for every failure. A 401
// (session expired or signed out elsewhere) tells the app to show the sign-in again.
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

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON body (POST/PUT/PATCH) or query parameters (GET). */
  body?: unknown;
  /** Raw bytes instead of JSON (batch files, holiday tables). */
  bytes?: Blob | ArrayBuffer | Uint8Array;
  /** Upload progress 0..1 (uses XMLHttpRequest, which reports it; fetch does not). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
};

function withQuery(path: string, body: unknown): string {
  if (!body || typeof body !== 'object') return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

function fail(code: ErrorCode, message: string): never {
  if (code === 'not_signed_in') for (const fn of sessionLostListeners) fn();
  throw new AppError(code, message);
}

/** Reads the server's `{ ok:false, error:{code,message} }` (or any JSON with a Chinese message) into an AppError. */
function failFromBody(status: number, text: string): never {
  const fallback = statusText(status);
  let code = fallback.code;
  let message = fallback.message;
  try {
    const j = JSON.parse(text) as { error?: { code?: string; message?: string } | string; message?: string };
    const e = typeof j.error === 'object' && j.error ? j.error : { message: typeof j.error === 'string' ? j.error : j.message };
    if (e.message && /[\u4e00-\u9fff]/.test(e.message)) message = e.message;
    if ('code' in e && e.code && (ERROR_CODES as string[]).includes(e.code)) code = e.code as ErrorCode;
  } catch {
    /* not JSON: keep the status text */
  }
  if (status === 401) code = 'not_signed_in';
  return fail(code, message);
}

function unwrap<T>(json: unknown): T {
  // Accept both `{ ok: true, value }` envelopes and plain JSON bodies.
  if (json && typeof json === 'object' && 'ok' in json) {
    const j = json as { ok: boolean; value?: unknown; error?: { code?: string; message?: string } };
    if (j.ok === false) return fail((j.error?.code as ErrorCode) ?? 'internal', j.error?.message ?? '操作失败，请重试。');
    if ('value' in j) return j.value as T;
  }
  return json as T;
}

function headers(method: string, contentType?: string): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json' };
  if (contentType) h['Content-Type'] = contentType;
  if (method !== 'GET' && csrfToken) h['x-csrf-token'] = csrfToken;
  return h;
}

function uploadWithProgress(url: string, method: string, body: Blob | ArrayBuffer | Uint8Array, onProgress: (f: number) => void): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(headers(method, 'application/octet-stream'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new AppError('internal', '无法连接到县级服务，请检查网络后重试。'));
    xhr.send(body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : body);
  });
}

/** One request to the console API. Resolves with the parsed JSON result; throws AppError in Chinese. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? (opts.body === undefined && !opts.bytes ? 'GET' : 'POST');
  const url = method === 'GET' ? withQuery(path, opts.body) : path;
  let status: number;
  let text: string;
  if (opts.bytes && opts.onProgress) {
    ({ status, text } = await uploadWithProgress(url, method, opts.bytes, opts.onProgress));
  } else {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: headers(method, opts.bytes ? 'application/octet-stream' : method === 'GET' ? undefined : 'application/json'),
        body: method === 'GET' ? undefined : opts.bytes ? (opts.bytes instanceof Uint8Array ? new Blob([opts.bytes as Uint8Array<ArrayBuffer>]) : opts.bytes) : JSON.stringify(opts.body ?? {}),
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new AppError('internal', '无法连接到县级服务，请检查网络后重试。');
    }
    status = res.status;
    text = await res.text();
  }
  if (status < 200 || status >= 300) failFromBody(status, text);
  if (!text) return undefined as T;
  try {
    return unwrap<T>(JSON.parse(text));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('internal', `县级服务返回了无法识别的结果（${status}），请重试。`);
  }
}

/** Downloads a file the server makes (PDF, xlsx, reply file, enrolment file) under the name it gives. */
export async function download(path: string, query?: Record<string, unknown>, fallbackName = '下载文件'): Promise<string> {
  const url = withQuery(path, query);
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new AppError('internal', '无法连接到县级服务，请检查网络后重试。');
  }
  if (!res.ok) failFromBody(res.status, await res.text());
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
