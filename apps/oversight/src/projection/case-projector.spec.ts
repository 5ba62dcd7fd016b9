import { randomUUID } from 'node:crypto';
import {
  CaseOpened,
  CaseTransitioned,
  EventContract,
  EventEnvelope,
  ReferralRouted,
  ReferralSubmitted,
} from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { dropDatabase, ensureDatabase, withDatabase } from '../../../../tools/db/database';
import { chooseTestInfrastructure, templateDatabase } from '../../../../libs/testing/src/infrastructure';
import { OversightDatabase } from '../persistence/oversight-database.service';
import { CaseProjector } from './case-projector';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 0, minutes)).toISOString();

/** A case's events: submitted in Tak, routed and opened in the same minute, accepted, moved on twice. */
function history(caseId: string): EventEnvelope[] {
  const event = (contract: EventContract, minutes: number, payload: object): EventEnvelope => ({
    eventId: randomUUID(),
    type: contract.type,
    version: contract.version,
    caseId,
    occurredAt: at(minutes),
    correlationId: randomUUID(),
    actor: { id: 'system', role: 'system' },
    payload,
  });
  const transition = (minutes: number, to: string) =>
    event(CaseTransitioned, minutes, { provinceCode: 'TH-63', track: 'case', to });
  return [
    event(ReferralSubmitted, 0, { foundInProvince: 'TH-63' }),
    event(ReferralRouted, 1, { responsibleProvince: 'TH-63', riskGroup: 'adult' }),
    event(CaseOpened, 1, { provinceCode: 'TH-63', riskGroup: 'adult' }),
    transition(30, 'accepted'),
    transition(60, 'screening'),
    transition(90, 'identified'),
  ];
}

describe('the case projector', () => {
  const url = withDatabase(chooseTestInfrastructure().databaseUrl, `nrm_test_case_projector_${process.pid}`);
  const settings = {
    databaseUrl: url,
    databaseSchema: 'oversight',
    databasePoolSize: 2,
    databaseConnectionLifetimeSeconds: 30,
  };
  let db: OversightDatabase;
  const projector = new CaseProjector();

  beforeAll(async () => {
    await ensureDatabase(url, templateDatabase());
    db = new OversightDatabase(settings as PlatformSettings);
  });
  afterAll(async () => {
    await db.$disconnect();
    await dropDatabase(url);
  });

  const apply = (events: EventEnvelope[]) => db.$transaction((tx) => projector.apply(tx, events));
  const derived = async (caseId: string) => ({
    summary: await db.$queryRawUnsafe(
      `SELECT province_code, state, risk_group, received_at, last_changed_at, breaches
         FROM case_summary WHERE case_id = $1::uuid`,
      caseId,
    ),
    stays: await db.$queryRawUnsafe(
      'SELECT position, stage, entered_at, left_at FROM stage_interval WHERE case_id = $1::uuid ORDER BY position',
      caseId,
    ),
  });

  it('derives the same summary and stays whatever order, and however grouped, the events arrive in', async () => {
    const allAtOnce = randomUUID();
    await apply(history(allAtOnce));
    const expected = await derived(allAtOnce);

    const orders: ((events: EventEnvelope[]) => EventEnvelope[][])[] = [
      (events) => events.map((event) => [event]),
      (events) => [...events].reverse().map((event) => [event]),
      (events) => [[events[3], events[5]], [events[0]], [events[4], events[2]], [events[1]]],
      (events) => [[events[2]], [events[0], events[5]], [events[1], events[4], events[3]], [events[0]]],
    ];
    for (const order of orders) {
      const caseId = randomUUID();
      for (const group of order(history(caseId))) await apply(group);
      expect(await derived(caseId)).toEqual(expected);
    }
    expect((expected.stays as { stage: string }[]).map((stay) => stay.stage)).toEqual([
      'received',
      'routed',
      'awaiting_acceptance',
      'accepted',
      'screening',
      'identified',
    ]);
  });
});
