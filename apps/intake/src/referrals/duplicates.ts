import { createHmac, createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { AgeBand } from '@nrm/contracts';
import { adjacentBands } from './age-band';

/** The non-identifying traits two referrals of the same person would share. */
export interface DuplicateTraits {
  provinceCode: string;
  nationality: string;
  gender: string;
  ageBand: AgeBand;
  /** YYYY-MM-DD */
  foundOn: string;
  documentHmac: string | null;
}

export interface DuplicateMatch {
  /** 0 to 100 */
  score: number;
  matchedOn: string[];
}

const DAY_MS = 86_400_000;

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS;
}

/**
 * Whether an earlier referral may be the same person: found in the same
 * province, same nationality and gender, age band equal or adjacent, found
 * within `windowDays` of each other. Different document numbers (both known)
 * mean different people; the same number raises the score. Null when no match.
 */
export function matchDuplicate(
  incoming: DuplicateTraits,
  earlier: DuplicateTraits,
  windowDays: number,
): DuplicateMatch | null {
  const days = daysBetween(incoming.foundOn, earlier.foundOn);
  if (
    incoming.provinceCode !== earlier.provinceCode ||
    incoming.nationality !== earlier.nationality ||
    incoming.gender !== earlier.gender ||
    !adjacentBands(incoming.ageBand, earlier.ageBand) ||
    days > windowDays
  )
    return null;
  const bothDocuments = incoming.documentHmac !== null && earlier.documentHmac !== null;
  if (bothDocuments && incoming.documentHmac !== earlier.documentHmac) return null;

  const sameBand = incoming.ageBand === earlier.ageBand;
  const matchedOn = ['foundInProvince', 'nationality', 'gender', sameBand ? 'ageBand' : 'adjacentAgeBand'];
  matchedOn.push(days === 0 ? 'foundOn' : 'foundWithinWindow');
  let score = 50 + (sameBand ? 15 : 5) + Math.round(15 * (1 - days / Math.max(windowDays, 1)));
  if (bothDocuments) {
    matchedOn.push('documentNumber');
    score += 20;
  }
  return { score: Math.min(score, 100), matchedOn };
}

/** Upper case, letters and digits only: "ab 123-45" and "AB12345" are the same document. */
export function normaliseDocumentNumber(documentNumber: string): string {
  return documentNumber
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * A keyed hash of a normalised document number, comparable between referrals
 * but useless without the key (derived from the field encryption key, so no
 * second secret to manage, and never the encryption key itself).
 */
export class DocumentFingerprint {
  /** A KeyObject, not a Buffer: Node checks a Buffer key on every call, at several times the hash's own cost. */
  private readonly key: KeyObject;

  constructor(fieldEncryptionKey: Buffer) {
    this.key = createSecretKey(
      Buffer.from(hkdfSync('sha256', fieldEncryptionKey, '', 'nrm-intake-document-fingerprint', 32)),
    );
  }

  of(documentNumber: string | undefined): string | null {
    const normalised = documentNumber === undefined ? '' : normaliseDocumentNumber(documentNumber);
    return normalised ? createHmac('sha256', this.key).update(normalised).digest('base64url') : null;
  }
}
