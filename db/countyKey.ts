// The county database's key, which the county's IT keeps outside the data folder: a file named by
// DAIBAN_COUNTY_KEY_FILE (64 hex digits, e.g. `openssl rand -hex 32 > /etc/daiban/county.key`,
// readable only by the service's account) or the key itself in DAIBAN_COUNTY_KEY. With neither set
// the county database is a plain file (as before); docs/security.md says how to turn it on.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';

export function countyKeyFromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  let hex = env.DAIBAN_COUNTY_KEY?.trim();
  const file = env.DAIBAN_COUNTY_KEY_FILE?.trim();
  if (!hex && file) {
    const abs = path.resolve(file);
    const rel = path.relative(path.resolve(dataDir), abs);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      throw new AppError('refused', `县级数据库的密钥文件不能放在数据文件夹里（${abs}）：请放到数据文件夹以外、只有服务账户能读的位置`);
    }
    try {
      hex = fs.readFileSync(abs, 'utf8').trim();
    } catch {
      throw new AppError('refused', `无法读取县级数据库的密钥文件：${abs}`);
    }
  }
  if (!hex) return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new AppError('refused', '县级数据库密钥应为 64 位十六进制数字（可用 openssl rand -hex 32 生成）');
  return Buffer.from(hex, 'hex');
}
