import { Injectable, NotFoundException } from '@nestjs/common';
import { Actor } from '@nrm/contracts';
import { jsonColumn } from '@nrm/persistence';
import { RoutingDatabase, RoutingTx } from '../persistence/routing-database.service';
import { Rule, RuleSetDraft, ruleSetProblems } from './rule-set';
import { invalidFields } from '@nrm/runtime';

export interface RuleSetVersion {
  version: number;
  rules: Rule[];
}

/** Advisory lock key that serialises new rule versions, so two admins never write the same version. */
const RULE_VERSION_LOCK = 7_302_001;

/**
 * Routing rules as versioned data. The newest version is in force from the
 * moment it commits: each decision reads the current version number and the
 * parsed rules are cached by version, so no restart is needed and old
 * decisions keep pointing at the version they used.
 */
@Injectable()
export class RulesService {
  private readonly parsed = new Map<number, Rule[]>();

  constructor(private readonly db: RoutingDatabase) {}

  async current(tx: RoutingTx | RoutingDatabase = this.db): Promise<RuleSetVersion> {
    const [latest] = await tx.$queryRawUnsafe<{ version: number | null }[]>(
      'SELECT max(version) AS version FROM rule_set',
    );
    if (latest?.version == null) throw new Error('No routing rules: run the seed command (npm run seed)');
    return { version: latest.version, rules: await this.rulesOf(tx, latest.version) };
  }

  async version(version: number) {
    const found = await this.db.ruleSet.findUnique({ where: { version } });
    if (!found) throw new NotFoundException(`No rule set version ${version}`);
    return found;
  }

  versions() {
    return this.db.ruleSet.findMany({
      orderBy: { version: 'desc' },
      select: { version: true, note: true, createdBy: true, createdAt: true },
    });
  }

  /** Stores a new version after checking it; it applies to the next decision. */
  async publish(draft: RuleSetDraft, actor: Actor) {
    const problems = ruleSetProblems(draft.rules);
    if (problems.length > 0) {
      throw invalidFields(
        problems.map((problem) => ({ field: 'rules', constraints: [problem] })),
        'The rule set is not valid',
      );
    }
    return this.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', RULE_VERSION_LOCK);
      const latest = await tx.ruleSet.findFirst({ orderBy: { version: 'desc' }, select: { version: true } });
      return tx.ruleSet.create({
        data: {
          version: (latest?.version ?? 0) + 1,
          rules: jsonColumn(draft.rules),
          note: draft.note,
          createdBy: actor.id,
        },
      });
    });
  }

  private async rulesOf(tx: RoutingTx | RoutingDatabase, version: number): Promise<Rule[]> {
    const cached = this.parsed.get(version);
    if (cached) return cached;
    const row = await tx.ruleSet.findUniqueOrThrow({ where: { version } });
    const rules = row.rules as unknown as Rule[];
    this.parsed.set(version, rules);
    return rules;
  }
}
