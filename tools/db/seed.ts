import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Client } from 'pg';
import { ACCOUNT_ID_PATTERN, ACTOR_ROLES, ORGANISATION_ID_PATTERN, PROVINCE_CODES } from '@nrm/contracts';
import { validateAs } from '@nrm/messaging';
import { OrganisationEntry } from '../../apps/routing/src/directory/directory.dto';
import { RuleSetDraft, ruleSetProblems } from '../../apps/routing/src/rules/rule-set';
import { DeadlinePolicyUpdate, HolidayCalendar } from '../../apps/province/src/deadlines/deadline-policies';
import { SubscriberPreferences } from '../../apps/notifications/src/audiences/subscriber.dto';
import { REPOSITORY_ROOT } from './database';

/** A demonstration account: its role and scope, and its notification preferences. */
class DemoUser extends SubscriberPreferences {
  @Matches(ACCOUNT_ID_PATTERN)
  id!: string;

  @IsIn(ACTOR_ROLES)
  role!: string;

  @IsOptional()
  @IsIn(PROVINCE_CODES)
  provinceCode?: string;

  @IsOptional()
  @Matches(ORGANISATION_ID_PATTERN)
  organisationId?: string;
}

interface ProvinceRow {
  code: string;
  nameEn: string;
  nameTh: string;
  region: string;
  riskGroup: string;
  operationCentre: { nameEn: string; nameTh: string };
}

function data<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'data', file), 'utf8')) as T;
}

function check<T extends object>(what: string, cls: new () => T, plain: unknown): void {
  const problems = validateAs(cls, plain);
  if (problems.length > 0) throw new Error(`${what} is not valid: ${JSON.stringify(problems)}`);
}

/**
 * Seeds the reference data from the committed files in data/: the directory
 * and the first routing rules (routing), deadline policies and holidays
 * (province), and the demonstration accounts with their notification
 * preferences (notifications). Only what is missing is added, so changes made since through the
 * admin APIs are kept; run it after every migration.
 */
export async function seed(url: string): Promise<void> {
  const provinces = data<{ riskGroupFiscalYear: number; provinces: ProvinceRow[] }>(
    'directory/provinces.json',
  );
  const { organisations } = data<{ organisations: (OrganisationEntry & { id: string })[] }>(
    'directory/organisations.json',
  );
  const rules = data<RuleSetDraft>('routing/rules.json');
  const { policies } = data<{ policies: (DeadlinePolicyUpdate & { kind: string })[] }>(
    'deadlines/policies.json',
  );
  const calendar = data<HolidayCalendar & { source: string }>('calendar/holidays-th.json');
  const { users } = data<{ users: DemoUser[] }>('directory/users.json');

  for (const { id, ...organisation } of organisations)
    check(`Organisation ${id}`, OrganisationEntry, organisation);
  check('The routing rules', RuleSetDraft, rules);
  const ruleProblems = ruleSetProblems(rules.rules);
  if (ruleProblems.length > 0) throw new Error(`The routing rules are not valid: ${ruleProblems.join('; ')}`);
  for (const { kind, ...policy } of policies) check(`Deadline policy ${kind}`, DeadlinePolicyUpdate, policy);
  check('The holiday calendar', HolidayCalendar, { holidays: calendar.holidays });
  for (const user of users) check(`User ${user.id}`, DemoUser, user);

  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const province of provinces.provinces) {
      await client.query(
        `INSERT INTO routing.province (code, name_en, name_th, region, risk_group, risk_group_fiscal_year,
                                       operation_centre_name_en, operation_centre_name_th)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO NOTHING`,
        [
          province.code,
          province.nameEn,
          province.nameTh,
          province.region,
          province.riskGroup,
          provinces.riskGroupFiscalYear,
          province.operationCentre.nameEn,
          province.operationCentre.nameTh,
        ],
      );
    }
    for (const organisation of organisations) {
      const added = await client.query(
        `INSERT INTO routing.organisation (id, name_en, name_th, kind, active, nationwide, provinces, languages,
                                           client_groups, nationalities)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [
          organisation.id,
          organisation.nameEn,
          organisation.nameTh,
          organisation.kind,
          organisation.active,
          organisation.nationwide,
          organisation.provinces,
          organisation.languages,
          organisation.clientGroups,
          organisation.nationalities,
        ],
      );
      if (!added.rowCount) continue;
      for (const offered of organisation.services) {
        await client.query(
          'INSERT INTO routing.organisation_service (organisation_id, service, capacity) VALUES ($1, $2, $3)',
          [organisation.id, offered.service, offered.capacity],
        );
      }
    }
    await client.query(
      `INSERT INTO routing.rule_set (version, rules, note, created_by)
       SELECT 1, $1::jsonb, $2, 'seed' WHERE NOT EXISTS (SELECT 1 FROM routing.rule_set)`,
      [JSON.stringify(rules.rules), rules.note],
    );
    for (const policy of policies) {
      await client.query(
        `INSERT INTO province.deadline_policy (kind, amounts, urgent_amounts, unit, description)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind) DO NOTHING`,
        [policy.kind, policy.amounts, policy.urgentAmounts, policy.unit, policy.description],
      );
    }
    for (const holiday of calendar.holidays) {
      await client.query(
        'INSERT INTO province.holiday (date, name_en, name_th) VALUES ($1, $2, $3) ON CONFLICT (date) DO NOTHING',
        [holiday.date, holiday.nameEn, holiday.nameTh],
      );
    }
    for (const user of users) {
      await client.query(
        `INSERT INTO notifications.subscriber (account_id, role, province_code, organisation_id, language, email,
                                               phone, line_user_id, channels, quiet_from, quiet_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (account_id) DO NOTHING`,
        [
          user.id,
          user.role,
          user.provinceCode ?? null,
          user.organisationId ?? null,
          user.language,
          user.email ?? null,
          user.phone ?? null,
          user.lineUserId ?? null,
          user.channels,
          user.quietFrom ?? null,
          user.quietUntil ?? null,
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}
