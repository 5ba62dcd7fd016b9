import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import { NextFunction, Request, Response, Router } from 'express';
import { DiscoveredQueues } from '@nrm/scheduling';

export interface QueueBoardOptions {
  redisUrl: string;
  /**
   * The Redis key prefix the queues live under: QUEUE_PREFIX for every
   * service's queues (shown as `<service>:<queue>`), or one service's namespace.
   */
  queuePrefix: string;
  /** The path the router is mounted at, as the browser sees it (`/admin/queues`): the board's pages link under it. */
  basePath: string;
  /** Whether the request may see and act on the queues; the console allows admins only. */
  authorize: (request: Request) => boolean | Promise<boolean>;
  /** Redis is searched for new queues at most this often (default 5 s): the search scans every key. */
  rediscoverAfterMs?: number;
}

export interface QueueBoard {
  /** Bull Board's pages and API, behind `authorize`; mount it at `basePath`. */
  readonly router: Router;
  /** Closes the board's Redis connections. */
  close(): Promise<void>;
}

const DEFAULT_REDISCOVER_AFTER_MS = 5_000;
const GROUP_DELIMITER = ':';

/**
 * Bull Board over every BullMQ queue under a prefix, found in Redis (so queues
 * a service adds later appear without a change here): waiting, delayed,
 * active, completed and failed jobs, and retrying failed ones. Jobs carry ids
 * only, never a person's details.
 */
export function createQueueBoard(options: QueueBoardOptions): QueueBoard {
  const queues = new DiscoveredQueues(
    options.redisUrl,
    options.queuePrefix,
    options.rediscoverAfterMs ?? DEFAULT_REDISCOVER_AFTER_MS,
  );
  const serverAdapter = new ExpressAdapter().setBasePath(options.basePath);
  const board = createBullBoard({
    queues: [],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'nrm-flow queues' } },
  });
  let shown: Queue[] = [];

  const rediscover = async () => {
    const found = await queues.list();
    if (found === shown) return;
    shown = found;
    board.replaceQueues(
      found.map((queue) => {
        const group = groupOf(queue.qualifiedName, queue.name, options.queuePrefix);
        return new BullMQAdapter(queue, {
          prefix: group ? `${group}${GROUP_DELIMITER}` : '',
          delimiter: GROUP_DELIMITER,
          displayName: group ? `${group} ${queue.name}` : queue.name,
        });
      }),
    );
  };

  const router = Router();
  router.use((request: Request, response: Response, next: NextFunction) => {
    Promise.resolve(options.authorize(request))
      .then(async (allowed) => {
        if (!allowed) {
          response.status(403).json({ message: 'Only administrators may see the queues' });
          return;
        }
        await rediscover();
        next();
      })
      .catch(next);
  });
  router.use(serverAdapter.getRouter() as Router);
  return { router, close: () => queues.close() };
}

/** What lies between the board's prefix and the queue name: the service, when the board shows them all. */
function groupOf(qualifiedName: string, name: string, boardPrefix: string): string {
  return qualifiedName.slice(boardPrefix.length + 1, -(name.length + 1));
}
