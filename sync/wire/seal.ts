// Sealing a batch or reply body to its readers, so a lost USB stick or a server in the middle
// discloses nothing. The container's signature still says who wrote it; the seal says who can read it.
//
// Each reader is named by the Ed25519 key the other side already trusts (the county's, pinned at
// enrolment; a device's, registered at enrolment), converted to X25519 the way age and libsodium do for
// Ed25519 keys (@noble/curves). A random content key encrypts the body once; it is wrapped for each
// reader (a reply file on a USB stick may be for any of the point's laptops) under a fresh ephemeral
// X25519 key:
//
//   "DBS1" | n | n × (ephemeral X25519 public 32 | nonce 12 | wrapped content key 32 | tag 16)
//          | nonce 12 | AES-256-GCM(body, aad = everything before) | tag 16
//   wrap key = HKDF-SHA256(ECDH(ephemeral, reader), salt = ephemeral public ‖ reader public, info = "daibantong seal v1 " + purpose)
//
// The purpose ('batch', 'reply') is bound into the wrap key, so a sealed reply can't pass as a batch,
// and the reader list into the body's tag, so no reader can be added or removed.
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, hkdfSync, randomBytes } from 'node:crypto';
import { SyncRejection } from './container';

const MAGIC = Buffer.from('DBS1', 'ascii');
const SLOT = 32 + 12 + 32 + 16;
const TAG = 16;
const MAX_READERS = 64;
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

function wrapKey(shared: Uint8Array, ephemeralPub: Uint8Array, readerPub: Uint8Array, purpose: SealPurpose): Buffer {
  const salt = Buffer.concat([ephemeralPub, readerPub]);
  return Buffer.from(hkdfSync('sha256', shared, salt, `daibantong seal v1 ${purpose}`, 32));
}

function gcmSeal(key: Buffer, plain: Buffer, aad?: Buffer): { nonce: Buffer; ct: Buffer; tag: Buffer } {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (aad) cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { nonce, ct, tag: cipher.getAuthTag() };
}

function gcmOpen(key: Buffer, nonce: Buffer, ct: Buffer, tag: Buffer, aad?: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

/** Encrypts `body` so that only the holders of the private keys behind `readers` (Ed25519, base64 SPKI) can read it. */
export function sealBody(body: Buffer, readers: string | readonly string[], purpose: SealPurpose): Buffer {
  const list = [...new Set(typeof readers === 'string' ? [readers] : readers)];
  if (list.length === 0 || list.length > MAX_READERS) throw new Error(`sealBody: ${list.length} readers`);
  const contentKey = randomBytes(32);
  const slots = list.map((reader) => {
    const readerX = ed25519.utils.toMontgomery(rawPublic(reader));
    const ephemeralSecret = x25519.utils.randomSecretKey();
    const ephemeralPub = x25519.getPublicKey(ephemeralSecret);
    const w = gcmSeal(wrapKey(x25519.getSharedSecret(ephemeralSecret, readerX), ephemeralPub, readerX, purpose), contentKey);
    return Buffer.concat([ephemeralPub, w.nonce, w.ct, w.tag]);
  });
  const header = Buffer.concat([MAGIC, Buffer.from([list.length]), ...slots]);
  const b = gcmSeal(contentKey, body, header);
  return Buffer.concat([header, b.nonce, b.ct, b.tag]);
}

export function isSealed(body: Buffer): boolean {
  return body.length >= MAGIC.length + 1 + SLOT + 12 + TAG && body.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Decrypts a sealed body with the reader's own Ed25519 private key (base64 PKCS8); refuses anything else in Chinese. */
export function openSealedBody(sealed: Buffer, readerEd25519Priv: string, purpose: SealPurpose): Buffer {
  if (!isSealed(sealed)) throw new SyncRejection('bad_content', '文件内容没有加密（本版本只接受加密的同步文件），已拒绝');
  const n = sealed[MAGIC.length];
  const headerEnd = MAGIC.length + 1 + n * SLOT;
  if (n === 0 || sealed.length < headerEnd + 12 + TAG) throw new SyncRejection('bad_content', '文件内容无法解密：格式不对');
  const readerSecret = ed25519.utils.toMontgomerySecret(rawSeed(readerEd25519Priv));
  const readerX = x25519.getPublicKey(readerSecret);
  const header = sealed.subarray(0, headerEnd);
  for (let i = 0; i < n; i++) {
    const at = MAGIC.length + 1 + i * SLOT;
    const ephemeralPub = sealed.subarray(at, at + 32);
    let contentKey: Buffer;
    try {
      const key = wrapKey(x25519.getSharedSecret(readerSecret, ephemeralPub), ephemeralPub, readerX, purpose);
      contentKey = gcmOpen(key, sealed.subarray(at + 32, at + 44), sealed.subarray(at + 44, at + 76), sealed.subarray(at + 76, at + SLOT));
    } catch {
      continue; // another reader's slot
    }
    try {
      return gcmOpen(contentKey, sealed.subarray(headerEnd, headerEnd + 12), sealed.subarray(headerEnd + 12, sealed.length - TAG), sealed.subarray(sealed.length - TAG), header);
    } catch {
      break;
    }
  }
  throw new SyncRejection('bad_content', '文件内容无法解密：它不是加密给本机（或本县）的，或已被改动');
}
