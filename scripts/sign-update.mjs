#!/usr/bin/env node
// The county's update signing (docs/updates.md).
//   node scripts/sign-update.mjs keygen --out DIR      → DIR/update-signing.key (keep offline) + build/update-signing.pub
//   node scripts/sign-update.mjs sign --key KEY FILE…  → FILE.sig beside each latest*.yml
// The public key is copied into build/ so the next `npm run dist` pins it in the app.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const [cmd, ...rest] = process.argv.slice(2);
const opt = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const fail = (msg) => {
  console.error(msg);
  process.exit(1);
};

if (cmd === 'keygen') {
  const out = opt('--out') ?? fail('用法：sign-update.mjs keygen --out 保存私钥的文件夹（离线保管）');
  if (!fs.existsSync(out)) fail(`文件夹不存在：${out}`);
  const keyFile = path.join(out, 'update-signing.key');
  if (fs.existsSync(keyFile)) fail(`已有私钥，不覆盖：${keyFile}`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(path.join('build', 'update-signing.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  console.log(`私钥：${keyFile}（请离线保管）\n公钥：build/update-signing.pub（打包时写入程序）`);
} else if (cmd === 'sign') {
  const keyFile = opt('--key') ?? fail('用法：sign-update.mjs sign --key 私钥文件 latest.yml …');
  const key = createPrivateKey(fs.readFileSync(keyFile));
  const files = rest.filter((a, i) => a !== '--key' && rest[i - 1] !== '--key');
  if (files.length === 0) fail('请给出要签名的 latest*.yml 文件');
  for (const f of files) {
    const sig = sign(null, fs.readFileSync(f), key).toString('base64');
    fs.writeFileSync(`${f}.sig`, sig + '\n');
    console.log(`已签名：${f}.sig（公钥指纹 ${createPublicKey(key).export({ type: 'spki', format: 'der' }).subarray(-8).toString('hex')}）`);
  }
} else {
  fail('用法：sign-update.mjs keygen --out DIR | sign --key KEY latest.yml …');
}
