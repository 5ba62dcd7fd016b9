import 'reflect-metadata';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import nunjucks from 'nunjucks';
import { ConsoleSettings, consoleSettingsSchema } from '@nrm/config';
import { QUEUE_BOARD_PATH, QueueBoardHost } from './admin/queue-board.host';

/** Templates and assets are not compiled: found beside the sources, whether running from dist/ or not. */
const CONSOLE_ROOT = __dirname.includes(`${path.sep}dist${path.sep}`)
  ? path.resolve(__dirname.slice(0, __dirname.indexOf(`${path.sep}dist${path.sep}`)), 'apps', 'console')
  : path.resolve(__dirname, '..');

function fail(problem: string): never {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', service: 'console', message: `console failed to start: ${problem}` })}\n`,
  );
  process.exit(1);
}

/** The web console: server-rendered pages over the services' APIs (docs/console.md). */
async function main(): Promise<void> {
  const { ConsoleModule } = await import('./console.module');
  const app = await NestFactory.create<NestExpressApplication>(ConsoleModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const settings = app.get(ConsoleSettings);
  app.set('trust proxy', 'loopback');
  app.use(cookieParser());
  // Bull Board's pages bring inline styles and scripts of their own; only administrators reach them.
  const queueBoard = app.get(QueueBoardHost);
  app.use(
    QUEUE_BOARD_PATH,
    helmet({ contentSecurityPolicy: false }),
    queueBoard.gate,
    queueBoard.board.router,
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'"],
          // Plain http on a development machine is not upgraded; production runs behind TLS.
          'upgrade-insecure-requests': settings.production ? [] : null,
        },
      },
    }),
  );
  app.useStaticAssets(path.join(CONSOLE_ROOT, 'public'), { prefix: '/assets/', maxAge: '1h' });
  nunjucks.configure(path.join(CONSOLE_ROOT, 'views'), {
    autoescape: true,
    throwOnUndefined: false,
    express: app.getHttpAdapter().getInstance(),
  });
  app.setViewEngine('njk');
  await app.listen(settings.httpPort, settings.httpHost);
  app.get(Logger).log({ message: 'console ready', url: await app.getUrl() });
}

const { error } = consoleSettingsSchema().validate(process.env, { abortEarly: false, allowUnknown: true });
if (error) fail(`invalid settings: ${error.message}`);
main().catch((failure: unknown) => fail(failure instanceof Error ? failure.message : String(failure)));
