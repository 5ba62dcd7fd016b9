import { Injectable } from '@nestjs/common';
import { Language } from '@nrm/runtime';
import { ConsoleSession } from '../session/console-session';
import { Backends } from './backends';

interface DirectoryProvince {
  code: string;
  nameEn: string;
  nameTh: string;
}

/** The directory changes once a fiscal year; ten minutes old is fresh enough for a page. */
const KEPT_FOR_MS = 10 * 60_000;

/**
 * Provinces' names in the page's language, from routing's directory (fetched
 * with the reader's own token), so pages say ตาก or Tak rather than TH-63.
 */
@Injectable()
export class ProvinceDirectory {
  private kept: { at: number; provinces: DirectoryProvince[] } | null = null;

  constructor(private readonly backends: Backends) {}

  async names(session: ConsoleSession, language: Language): Promise<Record<string, string>> {
    if (!this.kept || Date.now() - this.kept.at > KEPT_FOR_MS) {
      const provinces = await this.backends.get<DirectoryProvince[]>(
        session,
        'routing',
        '/directory/provinces',
      );
      this.kept = { at: Date.now(), provinces };
    }
    return Object.fromEntries(
      this.kept.provinces.map((province) => [
        province.code,
        language === 'th' ? province.nameTh : province.nameEn,
      ]),
    );
  }
}
