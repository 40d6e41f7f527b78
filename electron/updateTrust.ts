// What decides whether an update may be installed. Plain Node (no Electron import) so it is tested
// under Vitest. Trust comes from one thing only: the county's update-signing key pinned in the app at
// build time. The feed's address (baked in, or `update.json` in the data folder) only says where to
// look; whatever is found there must carry a valid signature from the pinned key, and the installer
// that electron-updater downloads must hash to exactly what the signed metadata says before it is
// allowed to install. Plain http is refused outright: an intranet is not a safe network.
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';
import { AppError } from '../domain/errors';

/** The signature of `latest.yml` is published beside it as `latest.yml.sig` (base64 Ed25519). */
export const SIGNATURE_SUFFIX = '.sig';
/** The pinned public key file, shipped in the app's resources (see electron-builder.yml). */
export const PINNED_KEY_FILE = 'update-signing.pub';

const updateFile = z.object({ url: z.string().min(1), sha512: z.string().min(80), size: z.number().int().positive().optional() });
const updateMetadata = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, '版本号格式不对'),
  files: z.array(updateFile).min(1),
  releaseDate: z.string().optional(),
});
export type VerifiedUpdate = z.infer<typeof updateMetadata>;

/** The metadata file electron-updater's generic provider reads on this platform. */
export function channelFile(platform: NodeJS.Platform, arch: string): string {
  if (platform === 'win32') return 'latest.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return arch === 'arm64' ? 'latest-linux-arm64.yml' : 'latest-linux.yml';
}

export function loadPinnedKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('refused', '更新签名公钥必须是 Ed25519 公钥');
  return key;
}

/**
 * The feed to use: `update.json` ({"url": "https://…"}) in the data folder overrides the address baked
 * in at build time. Both must be https; an override that is not is ignored (with the reason), so a file
 * someone drops in the data folder can point elsewhere but never around the signature or to plain http.
 */
export function resolveFeedUrl(bakedUrl: string | null, dataDir: string): { url: string | null; warnings: string[] } {
  const warnings: string[] = [];
  let url = bakedUrl && isHttps(bakedUrl) ? bakedUrl : null;
  if (bakedUrl && !url) warnings.push('安装包内置的更新地址不是 https，已停用自动更新');
  const cfgPath = path.join(dataDir, 'update.json');
  if (fs.existsSync(cfgPath)) {
    try {
      const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8')) as { url?: unknown };
      if (typeof cfg.url === 'string' && isHttps(cfg.url)) url = cfg.url;
      else warnings.push('update.json 中的更新地址必须以 https:// 开头，已忽略');
    } catch {
      warnings.push('update.json 不是有效的 JSON，已忽略');
    }
  }
  return { url: url && (url.endsWith('/') ? url : `${url}/`), warnings };
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checks the signature over the exact bytes of the metadata file, then its shape. */
export function verifyUpdateMetadata(metadata: Buffer, signatureB64: string, pinnedKey: KeyObject): VerifiedUpdate {
  const signature = Buffer.from(signatureB64.trim(), 'base64');
  if (signature.length !== 64 || !verifySignature(null, metadata, pinnedKey, signature)) {
    throw new AppError('refused', '更新信息的签名无效：它不是县级中心用本软件认可的密钥签发的，已拒绝');
  }
  let parsed: unknown;
  try {
    parsed = yaml.load(metadata.toString('utf8'));
  } catch {
    throw new AppError('refused', '更新信息格式不对，已拒绝');
  }
  const r = updateMetadata.safeParse(parsed);
  if (!r.success) throw new AppError('refused', `更新信息缺少必要内容（${r.error.issues[0]?.message ?? '格式不对'}），已拒绝`);
  return r.data;
}

/** True when `candidate` is a newer version than `current` (numeric x.y.z; pre-releases never win). */
export function isNewer(candidate: string, current: string): boolean {
  const parts = (v: string) => v.split(/[-+]/)[0].split('.').map((n) => Number(n));
  const [a, b] = [parts(candidate), parts(current)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

/**
 * The last check before install: the file electron-updater downloaded must hash (sha512, base64, as in
 * the metadata) to the signed value for that version. Anything else is deleted and refused.
 */
export function checkDownloadedInstaller(file: string, version: string, verified: VerifiedUpdate): void {
  if (version !== verified.version) throw new AppError('refused', `下载的更新版本（${version}）与签名的版本（${verified.version}）不一致，已拒绝`);
  const sha512 = createHash('sha512').update(fs.readFileSync(file)).digest('base64');
  if (!verified.files.some((f) => f.sha512 === sha512)) {
    fs.rmSync(file, { force: true });
    throw new AppError('refused', '下载的更新安装包与签名信息不符（可能被篡改），已删除并拒绝安装');
  }
}

/** Fetches the metadata and its signature from the feed (https only) and verifies them. */
export async function fetchVerifiedUpdate(feedUrl: string, file: string, pinnedKey: KeyObject, fetchImpl: typeof fetch = fetch): Promise<VerifiedUpdate> {
  if (!isHttps(feedUrl)) throw new AppError('refused', '更新地址必须是 https');
  const get = async (name: string) => {
    const res = await fetchImpl(new URL(name, feedUrl), { redirect: 'error', signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new AppError('not_found', `更新服务器没有 ${name}（HTTP ${res.status}）`);
    return Buffer.from(await res.arrayBuffer());
  };
  const [metadata, signature] = await Promise.all([get(file), get(file + SIGNATURE_SUFFIX)]);
  return verifyUpdateMetadata(metadata, signature.toString('utf8'), pinnedKey);
}
