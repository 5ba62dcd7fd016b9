import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { PROVINCE_CODES, SERVICES } from '@nrm/contracts';

abstract class ParseCodePipe implements PipeTransform<string, string> {
  protected abstract readonly field: string;
  protected abstract readonly allowed: readonly string[];

  transform(value: string): string {
    if (this.allowed.includes(value)) return value;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `Unknown ${this.field}`,
      errors: [{ field: this.field, constraints: ['isIn'] }],
    });
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
