import { randomBytes } from 'node:crypto';
import { FieldCipher } from './field-cipher';

describe('FieldCipher', () => {
  const cipher = new FieldCipher(randomBytes(32));
  const identity = { fullName: 'Somchai Jaidee', documentNumber: 'AA1234567' };

  it('round-trips a value and never stores it readably', () => {
    const stored = cipher.encrypt(identity);
    expect(stored).not.toContain('Somchai');
    expect(stored).not.toContain('AA1234567');
    expect(cipher.decrypt(stored)).toEqual(identity);
  });

  it('gives a different ciphertext each time (random IV)', () => {
    expect(cipher.encrypt(identity)).not.toBe(cipher.encrypt(identity));
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const stored = cipher.encrypt(identity);
    const parts = stored.split('.');
    const body = Buffer.from(parts[4], 'base64');
    body[0] = body[0] ^ 0xff;
    parts[4] = body.toString('base64');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
    expect(() => new FieldCipher(randomBytes(32)).decrypt(stored)).toThrow();
  });

  it('reads values written with a previous key and writes with the current one', () => {
    const oldKey = randomBytes(32);
    const old = new FieldCipher(oldKey);
    const written = old.encrypt(identity);
    const rotated = new FieldCipher(randomBytes(32), [oldKey]);
    expect(rotated.decrypt(written)).toEqual(identity);
    expect(rotated.isCurrent(written)).toBe(false);
    const rewritten = rotated.encrypt(identity);
    expect(rotated.isCurrent(rewritten)).toBe(true);
    expect(() => old.decrypt(rewritten)).toThrow(/not configured/);
  });
});
