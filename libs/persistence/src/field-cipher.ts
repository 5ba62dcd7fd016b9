import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  KeyObject,
  randomBytes,
} from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
/** v1 named no key; v2 names the key it was written with, so keys can be rotated. */
const CURRENT_FORMAT = 'v2';

/** A short, stable name for a key: not the key, and not enough to find it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Encrypts identifying fields before they reach the database (AES-256-GCM,
 * random IV, authenticated). The stored form `v2.<key id>.<iv>.<tag>.<ciphertext>`
 * names its key: values are written with the current key and read with
 * whichever configured key wrote them, so a key can be rotated while the data
 * is re-encrypted (tools/db/rotate-keys).
 */
export class FieldCipher {
  private readonly currentId: string;
  /**
   * KeyObjects, not Buffers: given a Buffer, Node checks and wraps the key on
   * every call, which cost twice the encryption itself.
   */
  private readonly keys = new Map<string, KeyObject>();
  private readonly key: KeyObject;

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    for (const candidate of [key, ...previous]) {
      if (candidate.length !== 32) throw new Error('A field encryption key must be 32 bytes');
      this.keys.set(keyIdOf(candidate), createSecretKey(candidate));
    }
    this.currentId = keyIdOf(key);
    this.key = this.keys.get(this.currentId) as KeyObject;
  }

  encrypt(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [
      CURRENT_FORMAT,
      this.currentId,
      ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64')),
    ].join('.');
  }

  decrypt<T>(stored: string): T {
    const parts = stored.split('.');
    if (parts[0] === CURRENT_FORMAT && parts.length === 5) {
      const key = this.keys.get(parts[1]);
      if (!key) throw new Error(`Encrypted with key ${parts[1]}, which is not configured`);
      return this.open<T>(key, parts[2], parts[3], parts[4]);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      for (const key of this.keys.values()) {
        try {
          return this.open<T>(key, parts[1], parts[2], parts[3]);
        } catch {
          // Written with another configured key, or tampered with: the next key decides.
        }
      }
      throw new Error('No configured key opens this value');
    }
    throw new Error('Unknown encrypted field format');
  }

  /** Whether a stored value is already under the current key. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${CURRENT_FORMAT}.${this.currentId}.`);
  }

  private open<T>(key: KeyObject, iv: string, tag: string, ciphertext: string): T {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}

/** The cipher a service's settings describe: the current key, and the previous ones still readable. */
export function fieldCipherOf(settings: {
  fieldEncryptionKey: Buffer;
  previousFieldEncryptionKeys: Buffer[];
}) {
  return new FieldCipher(settings.fieldEncryptionKey, settings.previousFieldEncryptionKeys);
}
