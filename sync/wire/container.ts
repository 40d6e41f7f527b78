// The one file format of sync. Every batch, reply, enrolment package and poll is:
//
//   DAIBANTONG <KIND> 1\n          magic line: what this is and the format version
//   {"…manifest…"}\n               one line of JSON, including bodyBytes and bodySha256
//   <base64 Ed25519 signature>\n   over the exact bytes of the two lines above (newlines included)
//   <body>                         bodyBytes bytes (NDJSON or JSON, depending on the kind)
//
// The signature covers the manifest, the manifest covers the body by its length and SHA-256, so
// a single flipped byte anywhere is caught; the same bytes travel over HTTP or on a USB stick.
import { sha256Hex, signBytes, verifyBytes } from './keys';

export const CONTAINER_VERSION = 1;
export type ContainerKind = 'BATCH' | 'REPLY' | 'ENROL' | 'POLL';

const MAX_MAGIC = 40;
const MAX_MANIFEST = 16 * 1024;
const MAX_SIGNATURE = 120;

export type RejectCode =
  | 'not_a_batch'
  | 'wrong_kind'
  | 'newer_format'
  | 'truncated'
  | 'bad_manifest'
  | 'bad_signature'
  | 'altered'
  | 'other_county'
  | 'other_point'
  | 'unknown_point'
  | 'unknown_device'
  | 'revoked'
  | 'newer_schema'
  | 'bad_content'
  | 'replaced_history'
  | 'too_large'
  | 'not_enrolled';

/** A reason to refuse a file or request; the message is plain Chinese for the person at the desk. */
export class SyncRejection extends Error {
  constructor(
    readonly code: RejectCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncRejection';
  }
}

const KIND_LABEL: Record<ContainerKind, string> = {
  BATCH: '同步批次',
  REPLY: '县级回执',
  ENROL: '登记文件',
  POLL: '同步请求',
};

export type Container = {
  kind: ContainerKind;
  manifestText: string;
  /** The signed bytes: magic line + manifest line, newlines included. */
  signed: Buffer;
  signature: string;
  body: Buffer;
};

export function encodeContainer(kind: ContainerKind, manifest: Record<string, unknown>, body: Buffer, privateKey: string): Buffer {
  const full = { ...manifest, bodyBytes: body.length, bodySha256: sha256Hex(body) };
  const head = Buffer.from(`DAIBANTONG ${kind} ${CONTAINER_VERSION}\n${JSON.stringify(full)}\n`, 'utf8');
  const sig = signBytes(privateKey, head);
  return Buffer.concat([head, Buffer.from(`${sig}\n`, 'ascii'), body]);
}

function lineEnd(buf: Buffer, from: number, max: number): number {
  const limit = Math.min(buf.length, from + max + 1);
  for (let i = from; i < limit; i++) if (buf[i] === 0x0a) return i;
  return -1;
}

/** Splits a container; checks only its framing. Nothing in the manifest is trusted yet. */
export function splitContainer(buf: Buffer, expected: ContainerKind): Container {
  const want = KIND_LABEL[expected];
  const e1 = lineEnd(buf, 0, MAX_MAGIC);
  const magicText = buf.subarray(0, e1 < 0 ? Math.min(buf.length, MAX_MAGIC) : e1).toString('latin1');
  const m = /^DAIBANTONG (BATCH|REPLY|ENROL|POLL) (\d{1,4})$/.exec(magicText);
  if (!m) {
    if (e1 < 0 && `DAIBANTONG ${expected} ${CONTAINER_VERSION}`.startsWith(magicText) && magicText.length > 0) {
      throw new SyncRejection('truncated', `${want}不完整（文件被截断），请重新导出`);
    }
    throw new SyncRejection('not_a_batch', `这不是代办通的${want}文件`);
  }
  const kind = m[1] as ContainerKind;
  if (kind !== expected) throw new SyncRejection('wrong_kind', `这是${KIND_LABEL[kind]}，不是${want}`);
  if (Number(m[2]) > CONTAINER_VERSION) {
    throw new SyncRejection('newer_format', `${want}由更新版本的代办通生成（文件格式 ${m[2]}），请先升级本程序`);
  }
  if (Number(m[2]) !== CONTAINER_VERSION) throw new SyncRejection('not_a_batch', `这不是代办通的${want}文件（格式版本不对）`);
  const e2 = lineEnd(buf, e1 + 1, MAX_MANIFEST);
  if (e2 < 0) {
    if (buf.length - e1 - 1 <= MAX_MANIFEST) throw new SyncRejection('truncated', `${want}不完整（文件被截断），请重新导出`);
    throw new SyncRejection('bad_manifest', `${want}的清单过长或格式不正确`);
  }
  const e3 = lineEnd(buf, e2 + 1, MAX_SIGNATURE);
  if (e3 < 0) {
    if (buf.length - e2 - 1 <= MAX_SIGNATURE) throw new SyncRejection('truncated', `${want}不完整（文件被截断），请重新导出`);
    throw new SyncRejection('bad_signature', `${want}的签名格式不正确`);
  }
  return {
    kind,
    manifestText: buf.subarray(e1 + 1, e2).toString('utf8'),
    signed: buf.subarray(0, e2 + 1),
    signature: buf.subarray(e2 + 1, e3).toString('latin1'),
    body: buf.subarray(e3 + 1),
  };
}

/** JSON.parse of the manifest line; the caller runs its strict schema on the result. */
export function manifestJson(c: Container): unknown {
  try {
    return JSON.parse(c.manifestText);
  } catch {
    throw new SyncRejection('bad_manifest', `${KIND_LABEL[c.kind]}的清单格式不正确（文件可能被改动）`);
  }
}

export function checkSignature(c: Container, publicKey: string, who: string): void {
  // Canonical base64 only: a changed padding bit must not decode to the same signature.
  const canonical = /^[A-Za-z0-9+/]{86}==$/.test(c.signature) && Buffer.from(c.signature, 'base64').toString('base64') === c.signature;
  if (!canonical || !verifyBytes(publicKey, c.signed, c.signature)) {
    throw new SyncRejection('bad_signature', `签名验证失败：${KIND_LABEL[c.kind]}被改动过，或不是由${who}签发的`);
  }
}

/** Body against the signed length and hash: tells a truncated file from an altered one. */
export function checkBody(c: Container, m: { bodyBytes: number; bodySha256: string }): void {
  const label = KIND_LABEL[c.kind];
  if (c.body.length < m.bodyBytes) {
    throw new SyncRejection('truncated', `${label}不完整（应有 ${m.bodyBytes} 字节，只有 ${c.body.length} 字节），文件被截断，请重新导出`);
  }
  if (c.body.length > m.bodyBytes) throw new SyncRejection('altered', `${label}的内容被改动过（长度与清单不符）`);
  if (sha256Hex(c.body) !== m.bodySha256) throw new SyncRejection('altered', `${label}的内容被改动过（校验值不符）`);
}
