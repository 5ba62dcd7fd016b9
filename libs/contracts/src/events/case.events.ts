import { IsIn, IsUUID } from 'class-validator';
import { defineEvent } from '../contract';
import { PROVINCE_CODES } from '../reference/provinces';
import { Streams } from '../streams';

export class CaseOpenedPayload {
  @IsUUID()
  caseId!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;
}

export const CaseOpened = defineEvent({
  type: 'case.opened',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseOpenedPayload,
});
