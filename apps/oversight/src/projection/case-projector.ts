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
import { jsonRecords, SqlExecutor } from '@nrm/persistence';
import { CaseEventFact, CaseStanding, standingOf } from './case-history';

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

const EVENT_FACT_COLUMNS = `case_id AS "caseId", event_id AS "eventId", occurred_at AS "occurredAt", rank,
  province_code AS "provinceCode", risk_group AS "riskGroup", state, breached_kind AS "breachedKind"`;

type StoredFact = CaseEventFact & { caseId: string; fresh: boolean };

/**
 * Applies events to the read model: the live consumer (each group of events
 * that share a transaction) and the rebuild (tools/db/rebuild-oversight.ts)
 * both go through here. Each event is stored once (by its id), then the
 * summary and stays of each case with a new event are derived again from all
 * its stored events, so the tables do not depend on arrival order. However
 * many events and cases, it takes three statements: lock, store and read,
 * write the summaries and stays.
 */
@Injectable()
export class CaseProjector {
  async apply(tx: SqlExecutor, events: readonly EventEnvelope[]): Promise<void> {
    const incoming = events.flatMap((event) => {
      const projection = PROJECTIONS.find(
        ({ contract }) => contract.type === event.type && contract.version === event.version,
      );
      return projection ? [{ event, facts: projection.facts(event.payload) }] : [];
    });
    if (incoming.length === 0) return;
    const caseIds = [...new Set(incoming.map(({ event }) => event.caseId.toLowerCase()))].sort();
    // During a rebuild the wait times out and the events wait outside a transaction (a transient error), heartbeating.
    // Events of one case arrive on three topics at once: one transaction at a time per case, or a derivation misses one.
    // The timeout and the rebuild lock are a one-time filter, taken before the cases' locks; those
    // are taken in one order, so that two transactions never wait for each other.
    await tx.$executeRawUnsafe(
      `SELECT pg_advisory_xact_lock(hashtext('oversight.case'), hashtext(id))
         FROM (SELECT unnest($1::text[]) AS id ORDER BY 1 OFFSET 0) AS cases
        WHERE (SELECT count(pg_advisory_xact_lock_shared(${REBUILD_LOCK_SQL}))
                 FROM (SELECT set_config('lock_timeout', '${LOCK_TIMEOUT}', true) OFFSET 0) AS timeout) = 1`,
      caseIds,
    );
    // New rows are not visible to the same statement's read of the table, so RETURNING adds them, marked fresh.
    const rows = await tx.$queryRawUnsafe<StoredFact[]>(
      `WITH stored AS (
         INSERT INTO case_event (event_id, case_id, type, occurred_at, rank, actor_role, province_code, risk_group, state, breached_kind)
         SELECT "eventId", "caseId", type, "occurredAt", rank, "actorRole", "provinceCode", "riskGroup", state, "breachedKind"
           FROM ${jsonRecords(
             '$1',
             `"eventId" uuid, "caseId" uuid, type text, "occurredAt" timestamptz,
             rank int, "actorRole" text, "provinceCode" text, "riskGroup" text, state text, "breachedKind" text`,
           )} AS event
         ON CONFLICT (event_id) DO NOTHING
         RETURNING ${EVENT_FACT_COLUMNS})
       SELECT true AS fresh, * FROM stored
       UNION ALL
       SELECT false AS fresh, ${EVENT_FACT_COLUMNS} FROM case_event WHERE case_id = ANY($2::uuid[])`,
      JSON.stringify(
        incoming.map(({ event, facts }) => ({
          eventId: event.eventId,
          caseId: event.caseId,
          type: event.type,
          occurredAt: event.occurredAt,
          actorRole: event.actor.role,
          ...facts,
        })),
      ),
      caseIds,
    );
    await this.derive(tx, rows);
  }

  /**
   * Writes the summary and stays of every case with a new event, derived from
   * all its events. A row the derivation leaves as it was is not written again:
   * most events (an offer routed, a deadline set) move no stay, and a rewrite
   * costs a new row version, its index entries and its WAL.
   *
   * Nor is it sent: the stays held are those derived from the case's earlier
   * events (each derivation commits with the events it read, one transaction
   * at a time per case), so only the stays that differ from that derivation
   * go to the statement, and the conflict check no longer reads every stay of
   * the case. A change to the derivation itself therefore needs a rebuild
   * (`npm run rebuild:oversight`) to reach the cases it has already derived.
   */
  private async derive(tx: SqlExecutor, rows: StoredFact[]): Promise<void> {
    const byCase = new Map<string, StoredFact[]>();
    for (const row of rows) {
      const caseEvents = byCase.get(row.caseId);
      if (caseEvents) caseEvents.push(row);
      else byCase.set(row.caseId, [row]);
    }
    const standings = [...byCase]
      .filter(([, events]) => events.some((event) => event.fresh))
      .map(([caseId, events]) => {
        const earlier = events.filter((event) => !event.fresh);
        const staysBefore = earlier.length > 0 ? standingOf(earlier).stays : [];
        const standing = standingOf(events);
        const stays = standing.stays
          .map((stay, index) => ({ ...stay, position: index + 1 }))
          .filter((stay, index) => !sameStay(staysBefore[index], stay));
        return {
          ...standing,
          caseId,
          stays,
          stayCount: standing.stays.length,
          staysBefore: staysBefore.length,
        };
      });
    if (standings.length === 0) return;
    await tx.$executeRawUnsafe(
      `WITH standing AS (
         SELECT * FROM ${jsonRecords(
           '$1',
           `"caseId" uuid, "provinceCode" text, state text,
           "riskGroup" text, "receivedAt" timestamptz, "lastChangedAt" timestamptz, breaches int, stays jsonb,
           "stayCount" int, "staysBefore" int`,
         )} AS standing),
       summary AS (
         INSERT INTO case_summary (case_id, province_code, state, risk_group, received_at, last_changed_at, breaches)
         SELECT "caseId", "provinceCode", state, "riskGroup", "receivedAt", "lastChangedAt", breaches FROM standing
         ON CONFLICT (case_id) DO UPDATE SET province_code = EXCLUDED.province_code, state = EXCLUDED.state,
           risk_group = EXCLUDED.risk_group, received_at = EXCLUDED.received_at,
           last_changed_at = EXCLUDED.last_changed_at, breaches = EXCLUDED.breaches
         WHERE (case_summary.province_code, case_summary.state, case_summary.risk_group, case_summary.received_at,
                case_summary.last_changed_at, case_summary.breaches)
           IS DISTINCT FROM (EXCLUDED.province_code, EXCLUDED.state, EXCLUDED.risk_group, EXCLUDED.received_at,
                EXCLUDED.last_changed_at, EXCLUDED.breaches)),
       stays AS (
         INSERT INTO stage_interval (case_id, position, stage, entered_at, left_at)
         SELECT standing."caseId", stay.position, stay.stage, stay."enteredAt", stay."leftAt"
           FROM standing, jsonb_to_recordset(standing.stays)
             AS stay(position int, stage text, "enteredAt" timestamptz, "leftAt" timestamptz)
         ON CONFLICT (case_id, position) DO UPDATE SET stage = EXCLUDED.stage, entered_at = EXCLUDED.entered_at,
           left_at = EXCLUDED.left_at
         WHERE (stage_interval.stage, stage_interval.entered_at, stage_interval.left_at)
           IS DISTINCT FROM (EXCLUDED.stage, EXCLUDED.entered_at, EXCLUDED.left_at))
       DELETE FROM stage_interval USING standing
        WHERE standing."staysBefore" > standing."stayCount"
          AND stage_interval.case_id = standing."caseId" AND stage_interval.position > standing."stayCount"`,
      JSON.stringify(standings),
    );
  }
}

type Stay = CaseStanding['stays'][number];

function sameStay(held: Stay | undefined, derived: Stay): boolean {
  return (
    held !== undefined &&
    held.stage === derived.stage &&
    held.enteredAt.getTime() === derived.enteredAt.getTime() &&
    (held.leftAt?.getTime() ?? null) === (derived.leftAt?.getTime() ?? null)
  );
}
