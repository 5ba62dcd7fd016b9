import { Agent, request } from 'node:http';
import { ReferralGenerator } from './referral-generator';

export interface Acknowledgement {
  index: number;
  id: string;
  startedAt: number;
  /** From the first attempt to the acknowledgement, retries included. */
  latencyMs: number;
  attempts: number;
}

/** A request intake has not answered by then is abandoned and sent again, as a device would. */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Submits generated referrals as case workers' devices do: each with its own
 * Idempotency-Key, retried with the same key while intake cannot answer (it
 * is restarting, its database is down, it is busy), so a referral is
 * acknowledged once however often it is sent.
 */
export class ReferralSubmitter {
  readonly acknowledgements: Acknowledgement[] = [];
  retries = 0;
  /**
   * Node's own HTTP client, its connections kept open between requests:
   * `fetch` cost the surge benchmark a fifth of a core in a flood, on the
   * machine it measures.
   */
  private readonly agent = new Agent({ keepAlive: true });

  /** `intakeUrl` is asked each attempt: a restarted intake may listen on another port. */
  constructor(
    private readonly intakeUrl: () => string,
    private readonly tokens: readonly string[],
    private readonly keyPrefix: string,
    private readonly generator = new ReferralGenerator(),
    private readonly giveUpAfterMs = 120_000,
  ) {}

  async submit(index: number): Promise<Acknowledgement> {
    const body = JSON.stringify(this.generator.next(index));
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${this.tokens[index % this.tokens.length]}`,
      'idempotency-key': `${this.keyPrefix}-${index}`,
    };
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.post(body, headers);
      if (response?.status === 201 || response?.status === 200) {
        const { id } = JSON.parse(response.body) as { id: string };
        const acknowledgement = {
          index,
          id,
          startedAt,
          latencyMs: Date.now() - startedAt,
          attempts: attempt,
        };
        this.acknowledgements.push(acknowledgement);
        return acknowledgement;
      }
      const detail = response ? `${response.status} ${response.body}` : 'no answer';
      if (response && response.status < 500 && response.status !== 429)
        throw new Error(`Referral ${index} was refused: ${detail}`);
      if (Date.now() - startedAt > this.giveUpAfterMs)
        throw new Error(`Referral ${index} was not acknowledged within ${this.giveUpAfterMs} ms: ${detail}`);
      this.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * attempt)));
    }
  }

  /**
   * Submits referrals `from` … `from + count - 1`, `concurrency` at a time, or
   * spread evenly at `perSecond` when given; resolves with their ids in order.
   */
  async submitMany(
    from: number,
    count: number,
    options: { concurrency: number; perSecond?: number },
  ): Promise<string[]> {
    const ids: string[] = new Array<string>(count);
    const began = Date.now();
    let next = from;
    const worker = async () => {
      while (next < from + count) {
        const index = next;
        next += 1;
        if (options.perSecond) {
          const due = began + ((index - from) * 1_000) / options.perSecond;
          if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        }
        ids[index - from] = (await this.submit(index)).id;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return ids;
  }

  /** The answer's status and body, or undefined when intake did not answer (or, restarting, has no address yet). */
  private post(
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string } | undefined> {
    let url: string;
    try {
      url = `${this.intakeUrl()}/referrals`;
    } catch {
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      const sent = request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          agent: this.agent,
          timeout: ANSWER_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', () => resolve(undefined));
        },
      );
      sent.on('timeout', () => sent.destroy());
      sent.on('error', () => resolve(undefined));
      sent.on('close', () => resolve(undefined));
      sent.end(body);
    });
  }
}
