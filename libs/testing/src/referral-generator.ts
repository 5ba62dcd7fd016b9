import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CAME_TO_NOTICE_VIA,
  DANGER_LEVELS,
  EXPLOITATION_TYPES,
  FORCED_LABOUR_INDICATORS,
  FORCED_LABOUR_SECTORS,
  GENDERS,
  MEDICAL_NEEDS,
  METHODS_OF_CONTROL,
} from '@nrm/contracts';
import { REPOSITORY_ROOT } from '../../../tools/db/database';

/** Who crossed in the 2025 scam-compound releases, and who else the NRM sees: nationality with its language. */
const PEOPLE = [
  ['MMR', 'mya'],
  ['IDN', 'ind'],
  ['CHN', 'zho'],
  ['VNM', 'vie'],
  ['LAO', 'lao'],
  ['KHM', 'khm'],
  ['PHL', 'fil'],
  ['ETH', 'amh'],
  ['KEN', 'swa'],
  ['IND', 'hin'],
  ['LKA', 'sin'],
  ['THA', 'tha'],
] as const;

/** A mass release lands most people in one border province; the rest arrive across the country. */
const SURGE_PROVINCE = 'TH-63';
const SURGE_SHARE = 0.6;

/** A small, fast, seeded generator (mulberry32), so a run's data can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Valid, varied referrals as case workers would submit them in a surge:
 * provinces (most in one border province), ages (children among them),
 * nationalities, genders, forms of exploitation and needs, each with a
 * different (fictitious) person.
 */
export class ReferralGenerator {
  private readonly random: () => number;
  private readonly provinces: string[];

  constructor(seed = 2025) {
    this.random = seededRandom(seed);
    const directory = JSON.parse(
      readFileSync(path.join(REPOSITORY_ROOT, 'data', 'directory', 'provinces.json'), 'utf8'),
    ) as { provinces: { code: string }[] };
    this.provinces = directory.provinces.map((province) => province.code);
  }

  next(index: number): Record<string, unknown> {
    const [nationality, language] = this.pick(PEOPLE);
    const age =
      this.random() < 0.12 ? 8 + Math.floor(this.random() * 10) : 18 + Math.floor(this.random() * 45);
    const exploitationTypes = this.some(EXPLOITATION_TYPES, 2);
    const forcedLabour = exploitationTypes.includes('forced-labour');
    const recordedAt = new Date(Date.now() - 3_600_000).toISOString();
    const decision = { recordedBy: `officer-${index % 500}`, recordedAt };
    return {
      referrer: {
        organisation: 'surge-screening-team',
        officer: `officer-${index % 500}`,
        contactChannel: 'phone',
      },
      cameToNoticeVia: this.pick(CAME_TO_NOTICE_VIA),
      found: {
        provinceCode: this.random() < SURGE_SHARE ? SURGE_PROVINCE : this.pick(this.provinces),
        date: recordedAt.slice(0, 10),
      },
      person: {
        age,
        gender: this.pick(GENDERS),
        nationality,
        languages: [language],
        interpreterNeeded: nationality !== 'THA',
      },
      exploitationTypes,
      ...(forcedLabour ? { forcedLabourSector: this.pick(FORCED_LABOUR_SECTORS) } : {}),
      indicators: {
        forcedLabour: this.some(FORCED_LABOUR_INDICATORS, 3),
        methodsOfControl: this.some(METHODS_OF_CONTROL, 3),
      },
      needs: {
        dangerLevel: this.pick(DANGER_LEVELS),
        medical: this.pick(MEDICAL_NEEDS),
        shelter: this.random() < 0.7,
        legalAid: this.random() < 0.5,
        interpreter: nationality !== 'THA',
        wishToReturnHome: this.random() < 0.8,
      },
      ...(age < 18
        ? { guardianOrBestInterest: { kind: 'best-interest-decision', ...decision } }
        : { consent: { shareWithServiceProviders: true, contactLater: this.random() < 0.6, ...decision } }),
      identity: {
        fullName: `Surge Person ${index}`,
        documentNumber: `S${String(index).padStart(8, '0')}`,
      },
    };
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }

  private some<T>(values: readonly T[], atMost: number): T[] {
    const count = 1 + Math.floor(this.random() * atMost);
    return [...new Set(Array.from({ length: count }, () => this.pick(values)))];
  }
}
