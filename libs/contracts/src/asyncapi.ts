import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { contractKey, EventContract, PayloadClass } from './contract';
import { EventEnvelope, Headers } from './envelope';
import { ALL_CONTRACTS } from './registry';
import { deadLetterTopicOf, StreamDefinition, Streams } from './streams';

type Schema = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';
const DEAD_LETTER_MESSAGE = 'dead-letter';
const KAFKA_BINDING_VERSION = '0.5.0';

/** A component key AsyncAPI accepts: `referral.submitted@1` becomes `referral.submitted.v1`. */
function messageId(contract: EventContract): string {
  return `${contract.type}.v${contract.version}`;
}

function deadLetterChannelId(streamKey: string): string {
  return `${streamKey}-dead-letters`;
}

const caseKeyBinding = {
  kafka: {
    key: {
      type: 'string',
      format: 'uuid',
      description: 'The case id: a case’s events stay in order on one partition',
    },
    bindingVersion: KAFKA_BINDING_VERSION,
  },
};

function eventHeaders(contract: EventContract): Schema {
  return {
    type: 'object',
    required: [Headers.eventType, Headers.eventVersion, Headers.correlationId],
    properties: {
      [Headers.eventType]: { type: 'string', const: contract.type, description: 'The event type' },
      [Headers.eventVersion]: {
        type: 'string',
        const: String(contract.version),
        description: 'The event type’s version, as text',
      },
      [Headers.correlationId]: {
        type: 'string',
        format: 'uuid',
        description: 'The journey the event belongs to, as in the envelope',
      },
    },
  };
}

const deadLetterHeaders: Schema = {
  type: 'object',
  description: 'The original message’s headers, and why it was given up',
  required: [Headers.deadLetterReason, Headers.deadLetterConsumer, Headers.originalTopic],
  properties: {
    [Headers.eventType]: { type: 'string', description: 'The event type, when the message named one' },
    [Headers.eventVersion]: { type: 'string' },
    [Headers.correlationId]: { type: 'string' },
    [Headers.deadLetterReason]: {
      type: 'string',
      maxLength: 500,
      description: 'Why the consumer gave up (invalid, unknown, or its handler failed every attempt)',
    },
    [Headers.deadLetterConsumer]: { type: 'string', description: 'The consumer that gave up' },
    [Headers.originalTopic]: { type: 'string', description: 'The topic the message came from' },
  },
};

function eventMessage(contract: EventContract): Schema {
  return {
    name: contract.type,
    title: `${contract.type} (version ${contract.version})`,
    summary: `On ${contract.stream.name}, published by ${contract.stream.owner}.`,
    contentType: 'application/json',
    headers: eventHeaders(contract),
    payload: {
      allOf: [
        { $ref: `${SCHEMAS}${EventEnvelope.name}` },
        {
          type: 'object',
          properties: {
            type: { const: contract.type },
            version: { const: contract.version },
            payload: { $ref: `${SCHEMAS}${contract.payload.name}` },
          },
        },
      ],
    },
    bindings: caseKeyBinding,
  };
}

const deadLetterMessage: Schema = {
  name: DEAD_LETTER_MESSAGE,
  title: 'A message a consumer gave up on',
  summary:
    'The original value (an event envelope, or `{ "unparsable": text }` when it was not JSON), recorded with the reason. Operators list and replay dead letters at /admin/dead-letters.',
  contentType: 'application/json',
  headers: deadLetterHeaders,
  payload: {
    oneOf: [
      { $ref: `${SCHEMAS}${EventEnvelope.name}` },
      { type: 'object', required: ['unparsable'], properties: { unparsable: { type: 'string' } } },
    ],
  },
  bindings: caseKeyBinding,
};

function topicBinding(stream: { partitions: number }): Schema {
  return { kafka: { partitions: stream.partitions, bindingVersion: KAFKA_BINDING_VERSION } };
}

/**
 * The JSON Schema of each class, and of the classes its fields nest (through
 * class-transformer's `@Type`), and so on: only these, whatever else the
 * process has loaded.
 */
function schemasOf(roots: PayloadClass<unknown>[]): Record<string, Schema> {
  const options = { refPointerPrefix: SCHEMAS, classTransformerMetadataStorage: defaultMetadataStorage };
  const reached: Record<string, Schema> = {};
  const pending = [...roots];
  for (let target = pending.pop(); target !== undefined; target = pending.pop()) {
    if (reached[target.name]) continue;
    reached[target.name] = targetConstructorToSchema(target, options) as Schema;
    for (const { propertyName } of getMetadataStorage().getTargetValidationMetadatas(
      target,
      '',
      true,
      false,
    )) {
      const nested = defaultMetadataStorage.findTypeMetadata(target, propertyName)?.typeFunction();
      if (nested) pending.push(nested as PayloadClass<unknown>);
    }
  }
  return Object.fromEntries(Object.entries(reached).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The AsyncAPI 3.0 document of every topic and event, made from the contracts
 * registry: each stream and its dead-letter topic is a channel, each event
 * contract a message whose payload is the envelope with its payload class.
 * Topic addresses are shown without KAFKA_TOPIC_PREFIX.
 */
export function asyncApiDocument(): Schema {
  const streams = Object.entries(Streams) as [string, StreamDefinition][];
  const contractsOn = (stream: StreamDefinition) =>
    ALL_CONTRACTS.filter((contract) => contract.stream.name === stream.name);
  const messageRefs = (stream: StreamDefinition) =>
    Object.fromEntries(
      contractsOn(stream).map((contract) => [
        messageId(contract),
        { $ref: `#/components/messages/${messageId(contract)}` },
      ]),
    );
  const channels: Schema = {};
  const operations: Schema = {};
  for (const [key, stream] of streams) {
    channels[key] = {
      address: stream.name,
      title: `${key} events`,
      description: `Every event of this entity, keyed by case id; owned by the ${stream.owner} service.`,
      messages: messageRefs(stream),
      bindings: topicBinding(stream),
    };
    channels[deadLetterChannelId(key)] = {
      address: deadLetterTopicOf(stream.name),
      title: `${key} dead letters`,
      description: `Messages of ${stream.name} that a consumer could not apply.`,
      messages: { [DEAD_LETTER_MESSAGE]: { $ref: `#/components/messages/${DEAD_LETTER_MESSAGE}` } },
      bindings: topicBinding({ partitions: 1 }),
    };
    operations[`publish-${key}`] = {
      action: 'send',
      title: `${stream.owner} publishes ${key} events`,
      summary: 'Through its transactional outbox: at least once, in order per case.',
      channel: { $ref: `#/channels/${key}` },
      messages: Object.values(messageRefs(stream)).map((reference) => ({
        $ref: `#/channels/${key}/messages/${reference.$ref.split('/').pop()}`,
      })),
    };
    operations[`dead-letter-${key}`] = {
      action: 'send',
      title: `A consumer of ${key} events records a message it gave up on`,
      channel: { $ref: `#/channels/${deadLetterChannelId(key)}` },
      messages: [{ $ref: `#/channels/${deadLetterChannelId(key)}/messages/${DEAD_LETTER_MESSAGE}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'nrm-flow events',
      version: '1',
      description:
        'Every Kafka topic and event of nrm-flow. Events carry codes, bands, flags and ids, never who a person is. Consumers apply each event at most once (inbox on eventId) and dead-letter what they cannot apply.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages: {
        ...Object.fromEntries(
          [...ALL_CONTRACTS]
            .sort((a, b) => contractKey(a.type, a.version).localeCompare(contractKey(b.type, b.version)))
            .map((contract) => [messageId(contract), eventMessage(contract)]),
        ),
        [DEAD_LETTER_MESSAGE]: deadLetterMessage,
      },
      schemas: schemasOf([EventEnvelope, ...ALL_CONTRACTS.map((contract) => contract.payload)]),
    },
  };
}
