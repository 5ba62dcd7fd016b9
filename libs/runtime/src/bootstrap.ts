import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { PlatformSettings, ServiceName, settingsSchema } from '@nrm/config';
import { asyncApiDocument } from '@nrm/contracts';
import { ConsumerStatus, kafkaConsumerOptions, rememberValidationRules } from '@nrm/messaging';
import { strictValidationPipe } from './validation-pipe';

/**
 * Starts one service: its HTTP API (with OpenAPI at /docs and the AsyncAPI
 * document of every event at /docs/asyncapi.json, both public), its Kafka consumer
 * group, and everything its modules start (outbox relay, workers). A setting or
 * dependency problem at start ends the process with a clear message.
 */
export async function bootstrapService(
  service: ServiceName,
  rootModule: Type<unknown>,
): Promise<INestApplication> {
  rememberValidationRules();
  const app = await NestFactory.create(rootModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();
  const settings = app.get(PlatformSettings);
  app.use(helmet());
  if (settings.corsOrigins.length > 0) app.enableCors({ origin: settings.corsOrigins, maxAge: 600 });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`nrm-flow ${service}`)
      .setVersion('1')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  const events = asyncApiDocument();
  app.getHttpAdapter().get('/docs/asyncapi.json', (_request: Request, response: Response) => {
    response.json(events);
  });
  SwaggerModule.setup('docs', app, document);

  // The app's global pipe, guards, interceptors and filters (validation, access, throttling, audit,
  // localised errors) are written for HTTP requests only: events never meet them.
  const consumer = app.connectMicroservice<MicroserviceOptions>(kafkaConsumerOptions(settings), {
    inheritAppConfig: false,
  });
  app.get(ConsumerStatus).follow(consumer.status);
  await app.startAllMicroservices();
  await app.listen(settings.httpPort, settings.httpHost);
  app.get(Logger).log({ message: `${service} ready`, url: await app.getUrl() });
  return app;
}

function fail(service: ServiceName, problem: string): never {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', service, message: `${service} failed to start: ${problem}` })}\n`,
  );
  process.exit(1);
}

/**
 * The entry point of every service. Settings are checked before any module is
 * loaded, so a wrong one ends the process with one clear line naming them all.
 */
export function runService(service: ServiceName, loadRootModule: () => Promise<Type<unknown>>): void {
  const { error } = settingsSchema(service).validate(process.env, { abortEarly: false, allowUnknown: true });
  if (error) fail(service, `invalid settings: ${error.message}`);
  loadRootModule()
    .then((rootModule) => bootstrapService(service, rootModule))
    .catch((failure: unknown) => fail(service, failure instanceof Error ? failure.message : String(failure)));
}
