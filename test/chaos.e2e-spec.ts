import { duplicatedCount } from '@nrm/testing';
import { markdownTable, writeResults } from '../bench/report';
import { ChaosSystem } from './chaos/chaos-system';
import { faults, FaultTiming, poisonMessages } from './chaos/faults';

/**
 * `npm run test:chaos` runs the full form (CHAOS_MODE=full) and writes
 * bench/results/chaos-latest.{json,md}; `npm test` runs the short form: the
 * same faults, fewer referrals, shorter outages.
 */
const FULL = process.env.CHAOS_MODE === 'full';
const SETTINGS: {
  referralsPerFault: number;
  perSecond: number;
  acceptanceSeconds: number;
  timing: FaultTiming;
} = FULL
  ? {
      referralsPerFault: 100,
      perSecond: 20,
      acceptanceSeconds: 90,
      timing: { restartAfterMs: 3_000, brokerDownMs: 20_000, serverDownMs: 2_000 },
    }
  : {
      referralsPerFault: 12,
      perSecond: 6,
      acceptanceSeconds: 30,
      timing: { restartAfterMs: 2_000, brokerDownMs: 10_000, serverDownMs: 1_000 },
    };
const THROUGH_WITHIN_MS = 180_000;

interface ScenarioResult {
  fault: string;
  referrals: number;
  recoverySeconds: number;
  lost: number;
  duplicated: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;

describe('faults injected during a surge', () => {
  const chaos = new ChaosSystem(SETTINGS.acceptanceSeconds);
  const poison = poisonMessages();

  beforeAll(() => chaos.start(), 180_000);
  afterAll(() => chaos.stop(), 60_000);

  it(
    'loses no referral, sends no notification twice, loses no deadline, and dead-letters only the poison',
    async () => {
      const scenarios: { fault: string; ids: string[]; recoveryMs: number }[] = [];
      let next = 0;
      for (const fault of faults(SETTINGS.timing, poison)) {
        const from = next;
        next += SETTINGS.referralsPerFault;
        const submitting = chaos.submitter.submitMany(from, SETTINGS.referralsPerFault, {
          concurrency: 4,
          perSecond: SETTINGS.perSecond,
        });
        await pause((SETTINGS.referralsPerFault / SETTINGS.perSecond) * 333);
        await fault.inject(chaos);
        const mended = Date.now();
        const ids = await submitting;
        await chaos.untilThrough(ids, false, THROUGH_WITHIN_MS);
        scenarios.push({ fault: fault.name, ids, recoveryMs: Date.now() - mended });
      }

      const everyId = scenarios.flatMap((scenario) => scenario.ids);
      await chaos.untilThrough(everyId, true, SETTINGS.acceptanceSeconds * 1_000 + THROUGH_WITHIN_MS);
      // Let anything that would happen twice (a redelivery, a re-sent mail) have happened.
      await pause(5_000);

      const results: ScenarioResult[] = [];
      for (const scenario of scenarios) {
        const outcome = await chaos.outcome(scenario.ids, true);
        results.push({
          fault: scenario.fault,
          referrals: scenario.ids.length,
          recoverySeconds: seconds(scenario.recoveryMs),
          lost: outcome.lost.length,
          duplicated: duplicatedCount(outcome) + (await chaos.repeatedMails(scenario.ids)),
        });
      }
      const table = markdownTable(
        ['fault', 'referrals', 'recovery (s)', 'lost', 'duplicated'],
        results.map((row) => [row.fault, row.referrals, row.recoverySeconds, row.lost, row.duplicated]),
      );
      process.stdout.write(`\n${table}\n`);
      if (FULL) {
        const markdown = [
          `# Chaos suite (${new Date().toISOString().slice(0, 10)})`,
          '',
          `${SETTINGS.referralsPerFault} referrals per fault at ${SETTINGS.perSecond}/s, the fault injected a third of the way in; ` +
            `every case's acceptance deadline due ${SETTINGS.acceptanceSeconds} s after opening. Recovery: from the fault ` +
            'mended (service back, broker or server up) until every referral of its surge was notified.',
          '',
          table,
        ].join('\n');
        writeResults('chaos', results, markdown);
      }

      expect(results.filter((row) => row.lost > 0 || row.duplicated > 0)).toEqual([]);
      expect(chaos.mailbox.mails.length).toBeGreaterThan(0);

      const deadLetters = await chaos.deadLetters();
      const poisonValues = new Set(poison.map((message) => message.value));
      expect(deadLetters.filter((letter) => !poisonValues.has(letter.value))).toEqual([]);
      expect(new Set(deadLetters.map((letter) => letter.value))).toEqual(poisonValues);
      const perConsumer = deadLetters.map((letter) => `${letter.service} ${letter.value}`);
      expect(perConsumer.length).toBe(new Set(perConsumer).size);
    },
    FULL ? 45 * 60_000 : 15 * 60_000,
  );
});
