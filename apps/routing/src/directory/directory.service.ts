import { Injectable, NotFoundException } from '@nestjs/common';
import { ORGANISATION_ID_PATTERN } from '@nrm/contracts';
import { RoutingDatabase, RoutingTx } from '../persistence/routing-database.service';
import { Candidate, ProvinceFacts } from '../rules/routing-engine';
import { OrganisationEntry, OrganisationQuery, ProvinceUpdate } from './directory.dto';
import { invalidFields } from '@nrm/runtime';

interface CandidateRow extends Omit<Candidate, 'inUse'> {
  service: string;
  inUse: bigint | number;
}

/**
 * The directory routing decides from: provinces and the organisations that
 * give services, with their coverage, languages, client groups and capacity.
 * Places in use are counted from the routing service's own placements.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly db: RoutingDatabase) {}

  provinces() {
    return this.db.province.findMany({ orderBy: { code: 'asc' } });
  }

  async province(code: string) {
    const found = await this.db.province.findUnique({ where: { code } });
    if (!found) throw new NotFoundException(`No province ${code} in the directory`);
    return found;
  }

  async updateProvince(code: string, update: ProvinceUpdate) {
    await this.province(code);
    return this.db.province.update({ where: { code }, data: update });
  }

  /** What routing needs of these provinces, in one query. */
  async provinceFacts(tx: RoutingTx, codes: readonly string[]): Promise<Map<string, ProvinceFacts>> {
    const found = await tx.$queryRawUnsafe<ProvinceFacts[]>(
      'SELECT code, region, risk_group AS "riskGroup" FROM province WHERE code = ANY($1::text[])',
      [...new Set(codes)],
    );
    const facts = new Map(found.map((province) => [province.code, province]));
    const missing = codes.find((code) => !facts.has(code));
    if (missing) throw new Error(`Province ${missing} is missing from the directory: run the seed command`);
    return facts;
  }

  organisations(query: OrganisationQuery) {
    return this.db.organisation.findMany({
      where: {
        ...(query.service ? { services: { some: { service: query.service } } } : {}),
        ...(query.province ? { OR: [{ nationwide: true }, { provinces: { has: query.province } }] } : {}),
      },
      include: { services: { orderBy: { service: 'asc' } } },
      orderBy: { id: 'asc' },
    });
  }

  async organisation(id: string) {
    const found = await this.db.organisation.findUnique({
      where: { id },
      include: { services: { orderBy: { service: 'asc' } } },
    });
    if (!found) throw new NotFoundException(`No organisation ${id} in the directory`);
    const inUse = await this.db.placement.groupBy({
      by: ['service'],
      where: { organisationId: id, active: true },
      _count: { _all: true },
    });
    const used = new Map(inUse.map((row) => [row.service, row._count._all]));
    return {
      ...found,
      services: found.services.map((service) => ({ ...service, inUse: used.get(service.service) ?? 0 })),
    };
  }

  /** Creates or replaces an organisation and the services it gives. */
  async putOrganisation(id: string, entry: OrganisationEntry) {
    if (!ORGANISATION_ID_PATTERN.test(id)) {
      throw invalidFields(
        [{ field: 'id', constraints: ['lowercase letters, digits and hyphens, 2 to 100'] }],
        'Invalid organisation id',
      );
    }
    const { services, ...fields } = entry;
    await this.db.$transaction(async (tx) => {
      await tx.organisation.upsert({ where: { id }, create: { id, ...fields }, update: fields });
      await tx.organisationService.deleteMany({ where: { organisationId: id } });
      await tx.organisationService.createMany({
        data: services.map((offered) => ({ organisationId: id, ...offered })),
      });
    });
    return this.organisation(id);
  }

  async setCapacity(id: string, service: string, capacity: number | null) {
    const updated = await this.db.organisationService.updateMany({
      where: { organisationId: id, service },
      data: { capacity },
    });
    if (updated.count === 0) throw new NotFoundException(`${id} does not give ${service}`);
    return this.organisation(id);
  }

  /**
   * The organisations that give these services in these provinces, with the
   * places they have in use, for a group of decisions. Rows with a capacity are
   * locked for the caller's transaction, so two groups at once cannot both take
   * the last place. Places are counted only where a capacity limits them: an
   * unlimited service's count grows with every case it ever served and decides
   * nothing.
   */
  async candidatesFor(tx: RoutingTx, needs: readonly CandidateNeed[]): Promise<CandidatePool> {
    const services = [...new Set(needs.flatMap((need) => need.services))];
    const provinces = [...new Set(needs.map((need) => need.province))];
    if (services.length === 0) return new CandidatePool([]);
    await tx.$queryRawUnsafe(
      `SELECT 1 FROM organisation_service s JOIN organisation o ON o.id = s.organisation_id
        WHERE s.service = ANY($1::text[]) AND s.capacity IS NOT NULL AND (o.nationwide OR o.provinces && $2::text[])
        ORDER BY s.organisation_id, s.service FOR UPDATE OF s`,
      services,
      provinces,
    );
    const rows = await tx.$queryRawUnsafe<CandidateRow[]>(
      `SELECT o.id, o.active, o.nationwide, o.provinces, o.languages, o.client_groups AS "clientGroups",
              o.nationalities, s.service, s.capacity,
              CASE WHEN s.capacity IS NULL THEN 0 ELSE
                (SELECT count(*) FROM placement p
                  WHERE p.organisation_id = o.id AND p.service = s.service AND p.active) END AS "inUse"
         FROM organisation_service s JOIN organisation o ON o.id = s.organisation_id
        WHERE s.service = ANY($1::text[]) AND (o.nationwide OR o.provinces && $2::text[])
        ORDER BY o.id`,
      services,
      provinces,
    );
    return new CandidatePool(rows.map(({ inUse, ...candidate }) => ({ ...candidate, inUse: Number(inUse) })));
  }
}

/** One decision's services, in the province responsible. */
export interface CandidateNeed {
  services: readonly string[];
  province: string;
}

/**
 * The candidates read for a group of decisions. The group is decided one
 * referral after another, and each place a decision takes counts against
 * capacity for the decisions after it, as it will once the group's places are
 * stored.
 */
export class CandidatePool {
  private readonly byService = new Map<string, Candidate[]>();

  constructor(candidates: readonly (Candidate & { service: string })[]) {
    for (const { service, ...candidate } of candidates) {
      const offering = this.byService.get(service);
      if (offering) offering.push(candidate);
      else this.byService.set(service, [candidate]);
    }
  }

  /** Each service's candidates covering the province, in id order. */
  covering(services: readonly string[], province: string): Map<string, Candidate[]> {
    return new Map(
      services.map((service) => [
        service,
        (this.byService.get(service) ?? []).filter(
          (candidate) => candidate.nationwide || candidate.provinces.includes(province),
        ),
      ]),
    );
  }

  take(service: string, organisationId: string): void {
    const taken = this.byService.get(service)?.find((candidate) => candidate.id === organisationId);
    if (taken) taken.inUse += 1;
  }
}
