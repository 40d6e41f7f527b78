// Sealing a batch or reply body to its one reader, so a lost USB stick or a server in the middle
// discloses nothing. The container's signature still says who wrote it; the seal says who can read it.
//
// The reader is named by the Ed25519 key the other side already trusts (the county's, pinned at
// enrolment; the device's, registered at enrolment), converted to X25519 the way age and libsodium do
// for Ed25519 keys (@noble/curves). Each body gets a fresh ephemeral X25519 key:
//
//   "DBS1" | ephemeral X25519 public (32) | nonce (12) | AES-256-GCM ciphertext | tag (16)
//   key = HKDF-SHA256(ECDH(ephemeral, reader), salt = ephemeral public ‖ reader public, info = "daibantong seal v1 " + purpose)
//
// The purpose ('batch', 'reply') is bound into the key, so a sealed reply can't pass as a batch.
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, hkdfSync, randomBytes } from 'node:crypto';
import { SyncRejection } from './container';

const MAGIC = Buffer.from('DBS1', 'ascii');
const HEADER = MAGIC.length + 32 + 12;
const TAG = 16;
export type SealPurpose = 'batch' | 'reply';

/** The raw 32 bytes of an Ed25519 public key stored as base64 SPKI DER. */
function rawPublic(spkiB64: string): Uint8Array {
  const jwk = createPublicKey({ key: Buffer.from(spkiB64, 'base64'), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

/** The 32-byte seed of an Ed25519 private key stored as base64 PKCS8 DER. */
function rawSeed(pkcs8B64: string): Uint8Array {
  const jwk = createPrivateKey({ key: Buffer.from(pkcs8B64, 'base64'), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return Buffer.from(jwk.d ?? '', 'base64url');
}

function sealKey(shared: Uint8Array, ephemeralPub: Uint8Array, readerPub: Uint8Array, purpose: SealPurpose): Buffer {
  const salt = Buffer.concat([ephemeralPub, readerPub]);
  return Buffer.from(hkdfSync('sha256', shared, salt, `daibantong seal v1 ${purpose}`, 32));
}

/** Encrypts `body` so only the holder of the private key behind `readerEd25519Pub` can read it. */
export function sealBody(body: Buffer, readerEd25519Pub: string, purpose: SealPurpose): Buffer {
  const readerX = ed25519.utils.toMontgomery(rawPublic(readerEd25519Pub));
  const ephemeralSecret = x25519.utils.randomSecretKey();
  const ephemeralPub = x25519.getPublicKey(ephemeralSecret);
  const key = sealKey(x25519.getSharedSecret(ephemeralSecret, readerX), ephemeralPub, readerX, purpose);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const ct = Buffer.concat([cipher.update(body), cipher.final()]);
  return Buffer.concat([MAGIC, ephemeralPub, nonce, ct, cipher.getAuthTag()]);
}

export function isSealed(body: Buffer): boolean {
  return body.length >= HEADER + TAG && body.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Decrypts a sealed body with the reader's own Ed25519 private key; refuses anything else in Chinese. */
export function openSealedBody(sealed: Buffer, readerEd25519Priv: string, purpose: SealPurpose): Buffer {
  if (!isSealed(sealed)) throw new SyncRejection('bad_content', '文件内容没有加密（本版本只接受加密的同步文件），已拒绝');
  const seed = rawSeed(readerEd25519Priv);
  const readerSecret = ed25519.utils.toMontgomerySecret(seed);
  const readerX = x25519.getPublicKey(readerSecret);
  const ephemeralPub = sealed.subarray(MAGIC.length, MAGIC.length + 32);
  const nonce = sealed.subarray(MAGIC.length + 32, HEADER);
  const ct = sealed.subarray(HEADER, sealed.length - TAG);
  const tag = sealed.subarray(sealed.length - TAG);
  try {
    const key = sealKey(x25519.getSharedSecret(readerSecret, ephemeralPub), ephemeralPub, readerX, purpose);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new SyncRejection('bad_content', '文件内容无法解密：它不是加密给本机（或本县）的，或已被改动');
  }
}
