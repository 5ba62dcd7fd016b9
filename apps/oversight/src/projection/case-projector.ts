import { Injectable } from '@nestjs/common';
import {
  CaseAssigned,
  CaseDeadlineUpdated,
  CaseEscalated,
  CaseEscalationResolved,
  CaseOpened,
  CaseTransitioned,
  EventContract,
  EventEnvelope,
  FollowUpVisitRecorded,
  ReferralDeadlineBreached,
  ReferralRouted,
  ReferralSubmitted,
  ReferralWithdrawn,
  ServiceOfferRouted,
  ServiceReferralTransitioned,
} from '@nrm/contracts';
import { SqlExecutor } from '@nrm/persistence';
import { CaseEventFact, standingOf } from './case-history';

/** What oversight keeps of one event: nothing that identifies anyone. */
type Facts = Pick<CaseEventFact, 'rank' | 'provinceCode' | 'riskGroup' | 'state' | 'breachedKind'>;

/** The causal order of a case's first events, for events stamped in the same millisecond. */
const Rank = { submitted: 0, routed: 1, opened: 2, later: 3 } as const;

const NO_FACTS: Facts = {
  rank: Rank.later,
  provinceCode: null,
  riskGroup: null,
  state: null,
  breachedKind: null,
};

interface Projected<P> {
  contract: EventContract<P>;
  facts: (payload: P) => Facts;
}

const projected = <P>(contract: EventContract<P>, facts: (payload: P) => Facts): Projected<unknown> =>
  ({ contract, facts }) as Projected<unknown>;

/** In the province: what every case event after the opening carries. */
const inProvince = (payload: { provinceCode: string }): Facts => ({
  ...NO_FACTS,
  provinceCode: payload.provinceCode,
});

/** Every event the read model is built from, and the facts it takes from each. */
const PROJECTIONS: Projected<unknown>[] = [
  projected(ReferralSubmitted, (payload) => ({
    ...NO_FACTS,
    rank: Rank.submitted,
    provinceCode: payload.foundInProvince,
    state: 'received',
  })),
  projected(ReferralWithdrawn, () => ({ ...NO_FACTS, state: 'withdrawn' })),
  projected(ReferralDeadlineBreached, (payload) => ({ ...NO_FACTS, breachedKind: payload.kind })),
  projected(ReferralRouted, (payload) => ({
    ...NO_FACTS,
    rank: Rank.routed,
    provinceCode: payload.responsibleProvince,
    riskGroup: payload.riskGroup,
    state: 'routed',
  })),
  projected(ServiceOfferRouted, () => NO_FACTS),
  projected(CaseOpened, (payload) => ({
    ...NO_FACTS,
    rank: Rank.opened,
    provinceCode: payload.provinceCode,
    riskGroup: payload.riskGroup,
    state: 'awaiting_acceptance',
  })),
  projected(CaseTransitioned, (payload) => ({
    ...inProvince(payload),
    state: payload.track === 'case' ? payload.to : null,
  })),
  projected(ServiceReferralTransitioned, inProvince),
  projected(CaseDeadlineUpdated, (payload) => ({
    ...inProvince(payload),
    breachedKind: payload.status === 'breached' ? payload.kind : null,
  })),
  projected(CaseEscalated, inProvince),
  projected(CaseEscalationResolved, inProvince),
  projected(CaseAssigned, inProvince),
  projected(FollowUpVisitRecorded, inProvince),
];

/** The event contracts the read model is built from. */
export const PROJECTED_EVENTS: EventContract[] = PROJECTIONS.map((projection) => projection.contract);

/**
 * Held shared by every event applied and exclusively by a rebuild, so that a
 * rebuild never interleaves with the live consumer.
 */
export const REBUILD_LOCK_SQL = `hashtext('oversight.rebuild')`;
const LOCK_TIMEOUT = '2s';

const EVENT_FACT_COLUMNS = `event_id AS "eventId", occurred_at AS "occurredAt", rank, province_code AS "provinceCode",
  risk_group AS "riskGroup", state, breached_kind AS "breachedKind"`;

/**
 * Applies one event to the read model: the live consumer and the rebuild
 * (tools/db/rebuild-oversight.ts) both go through here. The event is stored
 * once (by its id), then the case's summary and stays are derived again from
 * all its stored events, so the tables do not depend on arrival order.
 */
@Injectable()
export class CaseProjector {
  async apply(tx: SqlExecutor, event: EventEnvelope): Promise<void> {
    const projection = PROJECTIONS.find(
      ({ contract }) => contract.type === event.type && contract.version === event.version,
    );
    if (!projection) return;
    const facts = projection.facts(event.payload);
    // During a rebuild the wait times out and the event waits outside a transaction (a transient error), heartbeating.
    // Events of one case arrive on three topics at once: one at a time per case, or a derivation misses one.
    // One statement for the three: each subquery (kept apart by OFFSET 0) runs before the one around it.
    await tx.$executeRawUnsafe(
      `SELECT pg_advisory_xact_lock(hashtext('oversight.case'), hashtext($1))
         FROM (SELECT pg_advisory_xact_lock_shared(${REBUILD_LOCK_SQL})
                 FROM (SELECT set_config('lock_timeout', '${LOCK_TIMEOUT}', true) OFFSET 0) AS timeout
               OFFSET 0) AS rebuild`,
      event.caseId,
    );
    // The new row is not visible to the same statement's read of the table, so RETURNING adds it, marked fresh.
    const rows = await tx.$queryRawUnsafe<(CaseEventFact & { fresh: boolean })[]>(
      `WITH stored AS (
         INSERT INTO case_event (event_id, case_id, type, occurred_at, rank, actor_role, province_code, risk_group, state, breached_kind)
         VALUES ($1::uuid, $2::uuid, $3, $4::timestamptz, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING
         RETURNING ${EVENT_FACT_COLUMNS})
       SELECT true AS fresh, * FROM stored
       UNION ALL
       SELECT false AS fresh, ${EVENT_FACT_COLUMNS} FROM case_event WHERE case_id = $2::uuid`,
      event.eventId,
      event.caseId,
      event.type,
      event.occurredAt,
      facts.rank,
      event.actor.role,
      facts.provinceCode,
      facts.riskGroup,
      facts.state,
      facts.breachedKind,
    );
    if (!rows.some((row) => row.fresh)) return;
    await this.derive(tx, event.caseId, rows);
  }

  /** Writes the case's summary and stays, derived from all its events, in one statement. */
  private async derive(tx: SqlExecutor, caseId: string, events: CaseEventFact[]): Promise<void> {
    const standing = standingOf(events);
    const stays = standing.stays.map((stay, index) => ({ ...stay, position: index + 1 }));
    await tx.$executeRawUnsafe(
      `WITH summary AS (
         INSERT INTO case_summary (case_id, province_code, state, risk_group, received_at, last_changed_at, breaches)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (case_id) DO UPDATE SET province_code = EXCLUDED.province_code, state = EXCLUDED.state,
           risk_group = EXCLUDED.risk_group, received_at = EXCLUDED.received_at,
           last_changed_at = EXCLUDED.last_changed_at, breaches = EXCLUDED.breaches),
       stays AS (
         INSERT INTO stage_interval (case_id, position, stage, entered_at, left_at)
         SELECT $1::uuid, position, stage, "enteredAt", "leftAt"
           FROM jsonb_to_recordset($8::jsonb) AS stay(position int, stage text, "enteredAt" timestamptz, "leftAt" timestamptz)
         ON CONFLICT (case_id, position) DO UPDATE SET stage = EXCLUDED.stage, entered_at = EXCLUDED.entered_at,
           left_at = EXCLUDED.left_at)
       DELETE FROM stage_interval WHERE case_id = $1::uuid AND position > $9`,
      caseId,
      standing.provinceCode,
      standing.state,
      standing.riskGroup,
      standing.receivedAt,
      standing.lastChangedAt,
      standing.breaches,
      JSON.stringify(stays),
      stays.length,
    );
  }
}
