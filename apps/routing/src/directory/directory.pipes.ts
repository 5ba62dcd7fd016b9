import { Injectable, PipeTransform } from '@nestjs/common';
import { PROVINCE_CODES, SERVICES } from '@nrm/contracts';
import { invalidFields } from '@nrm/runtime';

abstract class ParseCodePipe implements PipeTransform<string, string> {
  protected abstract readonly field: string;
  protected abstract readonly allowed: readonly string[];

  transform(value: string): string {
    if (this.allowed.includes(value)) return value;
    throw invalidFields([{ field: this.field, constraints: ['isIn'] }], `Unknown ${this.field}`);
  }
}

@Injectable()
export class ParseProvinceCodePipe extends ParseCodePipe {
  protected readonly field = 'code';
  protected readonly allowed = PROVINCE_CODES;
}

@Injectable()
export class ParseServicePipe extends ParseCodePipe {
  protected readonly field = 'service';
  protected readonly allowed = SERVICES;
}
