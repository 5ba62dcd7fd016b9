import { getMetadataStorage } from 'class-validator';
import { ALL_CONTRACTS, allTopics, findContract, Streams, topicOf } from './index';

/** Names that would carry who the person is. Events carry codes, bands, flags and ids only. */
const IDENTIFYING = /name|birth|passport|document|phone|address|narrative|email|photo|story|testimony/i;

describe('event contracts', () => {
  it.each(ALL_CONTRACTS.map((contract) => [`${contract.type}@${contract.version}`, contract] as const))(
    '%s declares no field that could identify a person',
    (_key, contract) => {
      const fields = getMetadataStorage()
        .getTargetValidationMetadatas(contract.payload, '', true, false)
        .map((metadata) => metadata.propertyName);
      expect(fields.length).toBeGreaterThan(0);
      expect(fields.filter((field) => IDENTIFYING.test(field))).toEqual([]);
    },
  );

  it('finds each contract by type and version, and no other', () => {
    for (const contract of ALL_CONTRACTS)
      expect(findContract(contract.type, contract.version)).toBe(contract);
    expect(findContract('referral.submitted', 99)).toBeUndefined();
  });

  it('declares each stream with a dead-letter topic, under an optional prefix', () => {
    const topics = allTopics('test.');
    expect(topics).toContainEqual({
      name: 'test.nrm.intake.referral.v1',
      partitions: Streams.referral.partitions,
    });
    expect(topics).toContainEqual({ name: 'test.nrm.intake.referral.v1.dlq', partitions: 1 });
    expect(topics).toHaveLength(Object.keys(Streams).length * 2);
    expect(topicOf(Streams.provincialCase, '')).toBe('nrm.province.case.v1');
  });
});
