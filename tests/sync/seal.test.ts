// A sealed body reads only with the reader's own key: not with another key, not as another purpose,
// not after one flipped byte; and nothing entered is visible in the sealed bytes.
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../sync/wire/keys';
import { isSealed, openSealedBody, sealBody } from '../../sync/wire/seal';

const county = generateKeyPair();
const other = generateKeyPair();
const body = Buffer.from('{"entity":"applicants","fields":{"name":"张秀英","id_number":"150822198803150028","phone":"13904781234"}}\n');

describe('sealed bodies', () => {
  it('opens with the reader key and shows nothing of the content', () => {
    const sealed = sealBody(body, county.publicKey, 'batch');
    expect(isSealed(sealed)).toBe(true);
    for (const secret of ['张秀英', '150822198803150028', '13904781234', 'applicants']) {
      expect(sealed.includes(Buffer.from(secret))).toBe(false);
    }
    expect(openSealedBody(sealed, county.privateKey, 'batch').equals(body)).toBe(true);
  });

  it('is new every time (fresh ephemeral key and nonce)', () => {
    expect(sealBody(body, county.publicKey, 'batch').equals(sealBody(body, county.publicKey, 'batch'))).toBe(false);
  });

  it('refuses another key, another purpose, a flipped byte, and a plain body, in Chinese', () => {
    const sealed = sealBody(body, county.publicKey, 'batch');
    expect(() => openSealedBody(sealed, other.privateKey, 'batch')).toThrow(/无法解密/);
    expect(() => openSealedBody(sealed, county.privateKey, 'reply')).toThrow(/无法解密/);
    for (const at of [5, 40, 60, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] ^= 0x01;
      expect(() => openSealedBody(bad, county.privateKey, 'batch')).toThrow(/无法解密/);
    }
    expect(() => openSealedBody(body, county.privateKey, 'batch')).toThrow(/没有加密/);
  });
});
