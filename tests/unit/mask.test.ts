import { describe, expect, it } from 'vitest';
import { maskCreditCode, maskIdNumber, maskPhone } from '../../domain/mask';

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 of an 18-digit number', () => {
    expect(maskIdNumber('110105194912310021')).toBe('110105********0021');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('keeps the first 6 and last 3 of a 15-digit number', () => {
    expect(maskIdNumber('110105491231002')).toBe('110105******002');
  });

  it('never shows a value of unexpected length in the clear', () => {
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber('1101')).toBe('****');
    expect(maskIdNumber('1101051949123100')).toBe('****************');
    expect(maskIdNumber('1'.repeat(40))).toBe('*'.repeat(18));
    expect(maskIdNumber(undefined as unknown as string)).toBe('');
  });
});

describe('maskPhone', () => {
  it('masks the middle of a mobile', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
  });

  it('keeps the area code and the last 2 digits of a landline', () => {
    expect(maskPhone('0476-1234567')).toBe('0476-*****67');
    expect(maskPhone('(010)62345678')).toBe('010-******78');
  });

  it('stars an unrecognised number completely', () => {
    expect(maskPhone('')).toBe('');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('1381234567')).toBe('**********');
  });
});

describe('maskCreditCode', () => {
  it('keeps the first 4 and last 4', () => {
    expect(maskCreditCode('91350100M000100Y43')).toBe('9135**********0Y43');
  });

  it('stars an unrecognised value completely', () => {
    expect(maskCreditCode('')).toBe('');
    expect(maskCreditCode('91350100')).toBe('********');
  });
});
