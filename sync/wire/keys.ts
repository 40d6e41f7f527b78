// Ed25519 keys from Node's crypto. Keys travel and are stored as base64 DER (SPKI public,
// PKCS8 private); the fingerprint people compare by eye is the start of the SHA-256 of the public key.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export type KeyPair = { publicKey: string; privateKey: string };

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
  };
}

const pubCache = new Map<string, KeyObject>();

export function publicKeyObject(b64: string): KeyObject {
  let k = pubCache.get(b64);
  if (!k) {
    k = createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });
    if (k.asymmetricKeyType !== 'ed25519') throw new Error('不是 Ed25519 公钥');
    if (pubCache.size > 5000) pubCache.clear();
    pubCache.set(b64, k);
  }
  return k;
}

/** True when `b64` is a well-formed Ed25519 public key. */
export function isPublicKey(b64: string): boolean {
  try {
    publicKeyObject(b64);
    return true;
  } catch {
    return false;
  }
}

export function signBytes(privateKeyB64: string, data: Buffer): string {
  const key = createPrivateKey({ key: Buffer.from(privateKeyB64, 'base64'), format: 'der', type: 'pkcs8' });
  return sign(null, data, key).toString('base64');
}

export function verifyBytes(publicKeyB64: string, data: Buffer, signatureB64: string): boolean {
  try {
    const sig = Buffer.from(signatureB64, 'base64');
    if (sig.length !== 64) return false;
    return verify(null, data, publicKeyObject(publicKeyB64), sig);
  } catch {
    return false;
  }
}

/** "3F2A-91C0-77DE-0B14": enough to compare a key over the phone. */
export function fingerprint(publicKeyB64: string): string {
  const h = createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex').slice(0, 16).toUpperCase();
  return h.match(/.{4}/g)!.join('-');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
