// HTTP calls from the village to the county. Every call has a timeout; a timeout is a failure,
// never a success (CHT #8303). Error bodies from the county are plain Chinese and shown as they are.
import { AppError } from '../../domain/errors';

export const TIMEOUTS = { health: 5_000, enrol: 30_000, upload: 120_000, reply: 60_000 };

export class CountyUnreachable extends AppError {
  constructor(message: string) {
    super('refused', message);
    this.name = 'CountyUnreachable';
  }
}

function join(base: string, p: string): string {
  return base.replace(/\/+$/, '') + p;
}

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new CountyUnreachable(`连接县级服务超时（${Math.round(timeoutMs / 1000)} 秒内没有回应）`);
    }
    throw new CountyUnreachable('无法连接县级服务（网络不通或地址不对）');
  }
}

async function errorOf(res: Response): Promise<AppError> {
  let msg = '';
  try {
    const j = (await res.json()) as { error?: { message?: unknown } };
    if (typeof j?.error?.message === 'string') msg = j.error.message.slice(0, 300);
  } catch {
    /* not JSON */
  }
  if (!msg) msg = `县级服务返回错误（${res.status}）`;
  return new AppError(res.status >= 500 ? 'internal' : 'refused', msg);
}

async function bytesOf(res: Response, max: number): Promise<Buffer> {
  const len = Number(res.headers.get('content-length') ?? '0');
  if (len > max) throw new AppError('refused', '县级服务返回的内容过大');
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > max) throw new AppError('refused', '县级服务返回的内容过大');
  return buf;
}

export type Health = { ok: true; county: string; countyName: string; time: string };

export async function health(base: string): Promise<Health> {
  const res = await call(join(base, '/v1/health'), { method: 'GET' }, TIMEOUTS.health);
  if (!res.ok) throw await errorOf(res);
  const j = (await res.json()) as Health;
  if (!j || j.ok !== true || typeof j.county !== 'string') throw new CountyUnreachable('这个地址不是县级代办通服务');
  return j;
}

export async function enrol(base: string, body: unknown): Promise<Buffer> {
  const res = await call(
    join(base, '/v1/enrol'),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    TIMEOUTS.enrol,
  );
  if (!res.ok) throw await errorOf(res);
  return bytesOf(res, 8 * 1024 * 1024);
}

export type UploadAnswer = {
  ok: true;
  result: 'imported' | 'already' | 'held';
  applied: number;
  appliedThrough: number;
  message: string;
};

export async function upload(base: string, bytes: Buffer): Promise<UploadAnswer> {
  const res = await call(
    join(base, '/v1/batches'),
    { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) },
    TIMEOUTS.upload,
  );
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as UploadAnswer;
}

export async function fetchReply(base: string, poll: Buffer): Promise<Buffer> {
  const res = await call(
    join(base, '/v1/reply'),
    { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(poll) },
    TIMEOUTS.reply,
  );
  if (!res.ok) throw await errorOf(res);
  return bytesOf(res, 64 * 1024 * 1024);
}
