import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { asyncApiDocument } from './asyncapi';
import { Headers } from './envelope';
import { ALL_CONTRACTS } from './registry';
import { deadLetterTopicOf, Streams } from './streams';

interface Message {
  name: string;
  headers: { required: string[]; properties: Record<string, unknown> };
  payload: { allOf?: { $ref?: string; properties?: { payload?: { $ref: string } } }[] };
}

interface AsyncApi {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: {
    messages: Record<string, Message>;
    schemas: Record<string, { properties: Record<string, unknown>; required: string[] }>;
  };
}

const COMMITTED = path.join(__dirname, '..', '..', '..', 'docs', 'asyncapi.json');

describe('the AsyncAPI document', () => {
  const document = asyncApiDocument() as unknown as AsyncApi;

  it('is committed as the registry makes it now (run `npm run asyncapi` after changing a contract)', () => {
    expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(document);
  });

  it('has every stream and its dead-letter topic as a channel, each with a send operation', () => {
    expect(document.asyncapi).toBe('3.0.0');
    const addresses = Object.values(document.channels).map((channel) => channel.address);
    const streams = Object.values(Streams).map((stream) => stream.name);
    expect(addresses.sort()).toEqual([...streams, ...streams.map(deadLetterTopicOf)].sort());
    const sentTo = Object.values(document.operations)
      .filter((operation) => operation.action === 'send')
      .map((operation) => operation.channel.$ref.replace('#/channels/', ''));
    expect(sentTo.sort()).toEqual(Object.keys(document.channels).sort());
  });

  it('has every registered event as a message on its stream, with its payload schema and headers', () => {
    const messages = Object.values(document.components.messages);
    for (const contract of ALL_CONTRACTS) {
      const message = messages.find((candidate) => candidate.name === contract.type);
      expect(message).toBeDefined();
      const onStream = Object.values(document.channels).find(
        (channel) => channel.address === contract.stream.name,
      );
      expect(Object.values(onStream?.messages ?? {}).map((reference) => reference.$ref)).toContain(
        `#/components/messages/${contract.type}.v${contract.version}`,
      );
      const payloadRef = message?.payload.allOf?.[1].properties?.payload?.$ref ?? '';
      const payloadSchema = document.components.schemas[payloadRef.replace('#/components/schemas/', '')];
      expect(Object.keys(payloadSchema.properties).length).toBeGreaterThan(0);
      expect(message?.headers.required).toEqual([
        Headers.eventType,
        Headers.eventVersion,
        Headers.correlationId,
      ]);
    }
    expect(messages).toHaveLength(ALL_CONTRACTS.length + 1);
  });

  it('describes the envelope every event travels in', () => {
    const envelope = document.components.schemas.EventEnvelope;
    expect(envelope.required).toEqual(
      expect.arrayContaining([
        'eventId',
        'type',
        'version',
        'caseId',
        'occurredAt',
        'correlationId',
        'actor',
      ]),
    );
    expect(envelope.properties.actor).toEqual({ $ref: '#/components/schemas/Actor' });
    expect(document.components.schemas.Actor.required).toEqual(['id', 'role']);
    const unresolved = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)]
      .map(([, name]) => name)
      .filter((name) => !document.components.schemas[name]);
    expect(unresolved).toEqual([]);
  });
});
