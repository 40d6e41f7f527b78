// HTTP calls from the village to the county. Every call has a timeout; a timeout is a failure,
// never a success (CHT #8303). Error bodies from the county are plain Chinese and shown as they are.
import { AppError } from '../../domain/errors';
import { challengeAnswer, type ChallengeRequest } from '../wire/countyProof';

export const TIMEOUTS = { health: 5_000, challenge: 15_000, enrol: 30_000, upload: 120_000, reply: 60_000 };

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

/** Thrown when the server at the address cannot prove it holds the county key pinned at enrolment. */
export class CountyNotProven extends AppError {
  constructor(detail: string) {
    super('refused', `该地址的服务无法证明自己是本县中心，未上传任何数据（${detail}）。请核对县级服务地址，或打电话向县政务服务中心确认。`);
    this.name = 'CountyNotProven';
  }
}

/**
 * Asks the server to sign a fresh challenge; returns the signature (checked by the caller against the
 * pinned key). Any answer that is not a well-formed signature is a failed proof, never a retry.
 */
export async function challenge(base: string, req: ChallengeRequest): Promise<string> {
  const res = await call(
    join(base, '/v1/challenge'),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) },
    TIMEOUTS.challenge,
  );
  if (res.status === 404) throw new CountyNotProven('该服务不支持身份验证，可能不是代办通县级服务，或版本过旧');
  if (!res.ok) throw new CountyNotProven((await errorOf(res)).message);
  let body: unknown;
  try {
    body = JSON.parse((await bytesOf(res, 16 * 1024)).toString('utf8'));
  } catch {
    throw new CountyNotProven('回应格式不对');
  }
  const a = challengeAnswer.safeParse(body);
  if (!a.success) throw new CountyNotProven('回应格式不对');
  return a.data.signature;
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
