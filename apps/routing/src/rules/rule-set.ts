import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVINCE_CODES, SERVICES } from '@nrm/contracts';

/**
 * What a rule may look at: codes, bands and flags of the referral, and the
 * directory's facts about the province where the person was found. Never an
 * identifying value.
 */
export const FACT_TYPES = {
  foundInProvince: 'string',
  region: 'string',
  riskGroup: 'string',
  isChild: 'boolean',
  ageBand: 'string',
  gender: 'string',
  clientGroup: 'string',
  nationality: 'string',
  foreignNational: 'boolean',
  exploitationTypes: 'list',
  forcedLabourSector: 'string',
  forcedLabourIndicators: 'list',
  methodsOfControl: 'list',
  dangerLevel: 'string',
  medicalNeed: 'string',
  cameToNoticeVia: 'string',
  shelterNeeded: 'boolean',
  legalAidNeeded: 'boolean',
  interpreterNeeded: 'boolean',
  languages: 'list',
  wishToReturnHome: 'boolean',
} as const;
export type FactName = keyof typeof FACT_TYPES;
export const FACT_NAMES = Object.keys(FACT_TYPES) as FactName[];

export type RoutingFacts = {
  [K in FactName]: (typeof FACT_TYPES)[K] extends 'list'
    ? string[]
    : (typeof FACT_TYPES)[K] extends 'boolean'
      ? boolean
      : string | null;
};

/** Which operators suit which kind of fact. */
export const OPERATORS = {
  equals: ['string', 'boolean'],
  notEquals: ['string', 'boolean'],
  in: ['string'],
  notIn: ['string'],
  includes: ['list'],
  includesAny: ['list'],
} as const;
export type Operator = keyof typeof OPERATORS;

export class Condition {
  @ApiProperty({ enum: FACT_NAMES })
  @IsIn(FACT_NAMES)
  fact!: FactName;

  @ApiProperty({ enum: Object.keys(OPERATORS) })
  @IsIn(Object.keys(OPERATORS))
  op!: Operator;

  @ApiProperty({ description: 'A string or boolean; a list of strings for in, notIn and includesAny' })
  @IsDefined()
  value!: string | boolean | string[];
}

export class LocalisedText {
  @IsString()
  @Length(1, 500)
  en!: string;

  @IsString()
  @Length(1, 500)
  th!: string;
}

export class Rule {
  @ApiProperty({ example: 'offer.child-protection' })
  @Matches(/^[a-z0-9][a-z0-9.-]{1,99}$/)
  id!: string;

  @ApiProperty({ type: LocalisedText })
  @ValidateNested()
  @Type(() => LocalisedText)
  description!: LocalisedText;

  @ApiProperty({ type: [Condition], description: 'All must hold; an empty list always holds' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => Condition)
  when!: Condition[];

  @ApiPropertyOptional({ enum: PROVINCE_CODES, description: 'Make this province responsible' })
  @IsOptional()
  @IsIn(PROVINCE_CODES)
  routeTo?: string;

  @ApiPropertyOptional({ enum: SERVICES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SERVICES.length)
  @IsIn(SERVICES, { each: true })
  offer?: string[];

  @ApiPropertyOptional({ description: 'The case is urgent' })
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;
}

/** A new version of the routing rules, as an administrator submits it. */
export class RuleSetDraft {
  @ApiProperty({ type: [Rule] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => Rule)
  rules!: Rule[];

  @ApiProperty({ description: 'What changed and why' })
  @IsString()
  @Length(3, 1000)
  note!: string;
}

/**
 * What class-validator cannot say about a rule set: values that suit their
 * fact and operator, unique ids, and rules that do something.
 */
export function ruleSetProblems(rules: Rule[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const where = `rules[${index}] (${rule.id})`;
    if (seen.has(rule.id)) problems.push(`${where}: the id is used twice`);
    seen.add(rule.id);
    if (!rule.routeTo && !rule.offer?.length && rule.urgent === undefined) {
      problems.push(`${where}: a rule must route, offer services or set urgency`);
    }
    rule.when.forEach((condition, position) => {
      const kind = FACT_TYPES[condition.fact];
      const allowed: readonly string[] = OPERATORS[condition.op];
      const at = `${where}.when[${position}]`;
      if (!allowed.includes(kind)) {
        problems.push(`${at}: '${condition.op}' does not apply to ${condition.fact} (${kind})`);
        return;
      }
      const wantsList = condition.op === 'in' || condition.op === 'notIn' || condition.op === 'includesAny';
      const value = condition.value;
      const valid = wantsList
        ? Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')
        : kind === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'string';
      if (!valid) {
        problems.push(
          `${at}: the value must be ${wantsList ? 'a non-empty list of strings' : `a ${kind === 'boolean' ? 'boolean' : 'string'}`}`,
        );
      }
    });
  });
  return problems;
}
