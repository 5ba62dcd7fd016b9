import { randomUUID } from 'node:crypto';
import { Streams, topicOf } from '@nrm/contracts';
import { eventMessage, eventually, referralSubmittedPayload, TestSystem } from '@nrm/testing';
import { produceRaw } from './kafka-tap';

interface Preview {
  ruleVersion: number;
  responsibleProvince: string;
  urgency: string;
  matchedRules: string[];
  offers: {
    service: string;
    organisationId: string | null;
    considered: { organisationId: string; outcome: string; reason: string }[];
  }[];
  explanation: { province: string; urgency: string; rules: { rule: string; matched: boolean }[] };
}

interface Row {
  name: string;
  referral: Record<string, unknown>;
  province: string;
  urgency: 'urgent' | 'standard';
  offers: Record<string, string | null>;
  rules?: string[];
  excluded?: [organisationId: string, service: string, reason: string];
}

/** A Thai man, an adult, in forced labour on a farm in Nakhon Ratchasima (a group D province). */
const BASE = {
  foundInProvince: 'TH-30',
  ageBand: '25-34',
  isChild: false,
  gender: 'male',
  nationality: 'THA',
  exploitationTypes: ['forced-labour'],
  forcedLabourSector: 'agriculture',
  dangerLevel: 'low',
  medicalNeed: 'none',
  shelterNeeded: false,
  legalAidNeeded: false,
  interpreterNeeded: false,
  languages: ['tha'],
};
const CHILD = { ageBand: '12-17', isChild: true, gender: 'female' };
const SCAM = { exploitationTypes: ['online-scam-compound', 'forced-criminality'], forcedLabourSector: null };
const NOT_LABOUR = { exploitationTypes: ['other'], forcedLabourSector: null };
const FOREIGN = (nationality: string) => ({
  repatriation: 'iom-thailand',
  immigration: 'immigration-bureau',
  'consular-assistance': nationality ? `embassy-${nationality}` : null,
});

const TABLE: Row[] = [
  {
    name: 'a Thai adult in forced labour: the labour office where he was found',
    referral: {},
    province: 'TH-30',
    urgency: 'standard',
    offers: { 'labour-inspection': 'labour-protection-th-30' },
    rules: ['offer.forced-labour'],
  },
  {
    name: 'forced labour in fishing: labour and fisheries inspectors',
    referral: { foundInProvince: 'TH-74', forcedLabourSector: 'fishing-aquaculture' },
    province: 'TH-74',
    urgency: 'standard',
    offers: { 'labour-inspection': 'labour-protection-th-74', 'fisheries-inspection': 'fisheries-th-74' },
    rules: ['offer.forced-labour', 'offer.fishing'],
  },
  {
    name: 'fishing in a group A province is urgent',
    referral: { foundInProvince: 'TH-90', forcedLabourSector: 'fishing-aquaculture' },
    province: 'TH-90',
    urgency: 'urgent',
    offers: { 'labour-inspection': 'labour-protection-th-90', 'fisheries-inspection': 'fisheries-th-90' },
    rules: ['urgency.group-a-province'],
  },
  {
    name: 'a sexually exploited girl: child protection, a children’s shelter, counselling and a hospital',
    referral: { ...CHILD, exploitationTypes: ['sexual'], forcedLabourSector: null },
    province: 'TH-30',
    urgency: 'urgent',
    offers: {
      'child-protection': 'cfh-th-30',
      shelter: 'cfh-th-30',
      'psychosocial-support': 'cfh-th-30',
      'medical-care': 'hospital-th-30',
    },
    rules: ['offer.child-protection', 'offer.sexual-exploitation'],
    excluded: ['msdhs-shelter-men', 'psychosocial-support', 'client-group'],
  },
  {
    name: 'a Myanmar construction worker in Tak: IOM, immigration, his embassy and a local interpreter',
    referral: {
      foundInProvince: 'TH-63',
      nationality: 'MMR',
      languages: ['mya'],
      interpreterNeeded: true,
      forcedLabourSector: 'construction',
    },
    province: 'TH-63',
    urgency: 'urgent',
    offers: {
      ...FOREIGN('mmr'),
      interpretation: 'interpreters-tak',
      'labour-inspection': 'labour-protection-th-63',
    },
    excluded: ['embassy-khm', 'consular-assistance', 'nationality'],
  },
  {
    name: 'a Cambodian woman from a scam compound in Sa Kaeo: the shelter that speaks Khmer',
    referral: {
      ...SCAM,
      foundInProvince: 'TH-27',
      gender: 'female',
      nationality: 'KHM',
      languages: ['khm'],
      shelterNeeded: true,
    },
    province: 'TH-27',
    urgency: 'urgent',
    offers: {
      shelter: 'ngo-sa-kaeo-border-shelter',
      ...FOREIGN('khm'),
      'psychosocial-support': 'ngo-sa-kaeo-border-shelter',
    },
    rules: ['offer.shelter', 'offer.foreign-national', 'offer.scam-compound'],
  },
  {
    name: 'a Cambodian man in Sa Kaeo: the border shelter takes men too',
    referral: {
      ...SCAM,
      foundInProvince: 'TH-27',
      nationality: 'KHM',
      languages: ['khm'],
      shelterNeeded: true,
    },
    province: 'TH-27',
    urgency: 'urgent',
    offers: {
      shelter: 'ngo-sa-kaeo-border-shelter',
      ...FOREIGN('khm'),
      'psychosocial-support': 'ngo-sa-kaeo-border-shelter',
    },
    excluded: ['cfh-th-27', 'shelter', 'client-group'],
  },
  {
    name: 'a child in Chiang Rai whose children’s home is full: the NGO shelter instead',
    referral: { ...CHILD, ...NOT_LABOUR, foundInProvince: 'TH-57', shelterNeeded: true },
    province: 'TH-57',
    urgency: 'urgent',
    offers: { 'child-protection': 'cfh-th-57', shelter: 'ngo-chiang-rai-child-protection' },
    excluded: ['cfh-th-57', 'shelter', 'full'],
  },
  {
    name: 'a man in Chiang Rai when every shelter for men is full: nobody, which escalates',
    referral: { ...NOT_LABOUR, foundInProvince: 'TH-57', shelterNeeded: true },
    province: 'TH-57',
    urgency: 'urgent',
    offers: { shelter: null },
    excluded: ['msdhs-shelter-men', 'shelter', 'full'],
  },
  {
    name: 'a Chinese man from a scam compound on the northern border: the Chiang Mai identification centre',
    referral: { ...SCAM, foundInProvince: 'TH-57', nationality: 'CHN', languages: ['zho'] },
    province: 'TH-50',
    urgency: 'urgent',
    offers: { ...FOREIGN('chn'), 'psychosocial-support': 'iom-thailand' },
    rules: ['route.scam-compound.northern-border', 'urgency.group-a-province'],
  },
  {
    name: 'a Thai woman from a scam compound found in Mae Hong Son: Chiang Mai, not urgent',
    referral: { ...SCAM, foundInProvince: 'TH-58', gender: 'female' },
    province: 'TH-50',
    urgency: 'standard',
    offers: { 'psychosocial-support': 'cfh-th-50' },
    rules: ['route.scam-compound.northern-border', 'offer.scam-compound'],
  },
  {
    name: 'an Indonesian in Tak: the local interpreters do not speak Indonesian, the national network does',
    referral: {
      ...SCAM,
      foundInProvince: 'TH-63',
      nationality: 'IDN',
      languages: ['ind'],
      interpreterNeeded: true,
    },
    province: 'TH-63',
    urgency: 'urgent',
    offers: {
      ...FOREIGN('idn'),
      interpretation: 'interpreters-national',
      'psychosocial-support': 'iom-thailand',
    },
    excluded: ['interpreters-tak', 'interpretation', 'language'],
  },
  {
    name: 'a woman in immediate danger is urgent even in a group D province',
    referral: { gender: 'female', dangerLevel: 'immediate' },
    province: 'TH-30',
    urgency: 'urgent',
    offers: { 'labour-inspection': 'labour-protection-th-30' },
    rules: ['urgency.danger'],
  },
  {
    name: 'urgent medical need in Bangkok: the hospital, urgently',
    referral: { ...NOT_LABOUR, foundInProvince: 'TH-10', medicalNeed: 'urgent' },
    province: 'TH-10',
    urgency: 'urgent',
    offers: { 'medical-care': 'hospital-th-10' },
    rules: ['offer.medical-urgent'],
  },
  {
    name: 'non-urgent medical need: the hospital, in the usual time',
    referral: { ...NOT_LABOUR, foundInProvince: 'TH-10', medicalNeed: 'non-urgent' },
    province: 'TH-10',
    urgency: 'standard',
    offers: { 'medical-care': 'hospital-th-10' },
    rules: ['offer.medical'],
  },
  {
    name: 'legal aid in Samut Sakhon: the local labour-rights NGO before national bodies',
    referral: { ...NOT_LABOUR, foundInProvince: 'TH-74', gender: 'female', legalAidNeeded: true },
    province: 'TH-74',
    urgency: 'standard',
    offers: { 'legal-aid': 'ngo-samut-sakhon-labour-rights' },
  },
  {
    name: 'legal aid where no local body gives it: the national ones, in a fixed order',
    referral: { ...NOT_LABOUR, legalAidNeeded: true },
    province: 'TH-30',
    urgency: 'standard',
    offers: { 'legal-aid': 'lawyers-council-legal-aid' },
  },
  {
    name: 'a Myanmar woman in Samut Sakhon needing legal aid and a Burmese interpreter',
    referral: {
      ...NOT_LABOUR,
      foundInProvince: 'TH-74',
      gender: 'female',
      nationality: 'MMR',
      languages: ['mya'],
      legalAidNeeded: true,
      interpreterNeeded: true,
    },
    province: 'TH-74',
    urgency: 'standard',
    offers: {
      ...FOREIGN('mmr'),
      interpretation: 'interpreters-national',
      'legal-aid': 'ngo-samut-sakhon-labour-rights',
    },
  },
  {
    name: 'a Vietnamese man in Bangkok: a Vietnamese interpreter',
    referral: {
      ...NOT_LABOUR,
      foundInProvince: 'TH-10',
      nationality: 'VNM',
      languages: ['vie'],
      interpreterNeeded: true,
    },
    province: 'TH-10',
    urgency: 'standard',
    offers: { ...FOREIGN('vnm'), interpretation: 'interpreters-national' },
  },
  {
    name: 'a Sri Lankan from a scam compound in Tak: the Sri Lankan embassy',
    referral: { ...SCAM, foundInProvince: 'TH-63', nationality: 'LKA', languages: ['sin'] },
    province: 'TH-63',
    urgency: 'urgent',
    offers: { ...FOREIGN('lka'), 'psychosocial-support': 'iom-thailand' },
  },
  {
    name: 'a nationality whose embassy is not in the directory: consular assistance escalates',
    referral: { ...NOT_LABOUR, nationality: 'BRA', languages: ['por'] },
    province: 'TH-30',
    urgency: 'standard',
    offers: { ...FOREIGN(''), 'consular-assistance': null },
    excluded: ['embassy-mmr', 'consular-assistance', 'nationality'],
  },
  {
    name: 'forced marriage with no needs recorded: the found-in province, nothing offered',
    referral: {
      ...NOT_LABOUR,
      foundInProvince: 'TH-40',
      gender: 'female',
      exploitationTypes: ['forced-marriage'],
    },
    province: 'TH-40',
    urgency: 'standard',
    offers: {},
    rules: [],
  },
  {
    name: 'a Lao child in Nong Khai: child protection, the local home, a Lao interpreter and the embassy',
    referral: {
      ...NOT_LABOUR,
      ...CHILD,
      ageBand: '0-11',
      foundInProvince: 'TH-43',
      nationality: 'LAO',
      languages: ['lao'],
      interpreterNeeded: true,
    },
    province: 'TH-43',
    urgency: 'urgent',
    offers: {
      'child-protection': 'cfh-th-43',
      shelter: 'cfh-th-43',
      ...FOREIGN('lao'),
      interpretation: 'interpreters-national',
    },
  },
  {
    name: 'a sexually exploited woman in Phuket: the local home and hospital',
    referral: {
      foundInProvince: 'TH-83',
      gender: 'female',
      exploitationTypes: ['sexual'],
      forcedLabourSector: null,
    },
    province: 'TH-83',
    urgency: 'standard',
    offers: { 'psychosocial-support': 'cfh-th-83', 'medical-care': 'hospital-th-83' },
  },
  {
    name: 'a Myanmar fisherman in Ranong (group A): inspectors, his embassy, urgently',
    referral: {
      foundInProvince: 'TH-85',
      nationality: 'MMR',
      languages: ['mya'],
      forcedLabourSector: 'fishing-aquaculture',
    },
    province: 'TH-85',
    urgency: 'urgent',
    offers: {
      ...FOREIGN('mmr'),
      'labour-inspection': 'labour-protection-th-85',
      'fisheries-inspection': 'fisheries-th-85',
    },
  },
];

describe('routing decisions from the rules and the directory', () => {
  const system = new TestSystem();
  const preview = async (referral: Record<string, unknown>) => {
    const payload = referralSubmittedPayload('00000000-0000-4000-8000-000000000000', {
      ...BASE,
      ...referral,
    }) as Record<string, unknown>;
    delete payload.referralId;
    const response = await system.request<Preview>('routing', 'POST', '/decisions/preview', payload, 'admin');
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    await system.start(['routing']);
    // The fixture's full shelters: Chiang Rai's children's home and the national shelter for men.
    for (const organisation of ['cfh-th-57', 'msdhs-shelter-men']) {
      const full = await system.request(
        'routing',
        'PUT',
        `/directory/organisations/${organisation}/services/shelter/capacity`,
        { capacity: 0 },
        'admin',
      );
      expect(full.status).toBe(200);
    }
  });
  afterAll(() => system.stop());

  it('has at least 25 cases in its table', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(25);
  });

  it.each(TABLE.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const decision = await preview(row.referral);
    expect(decision.responsibleProvince).toBe(row.province);
    expect(decision.urgency).toBe(row.urgency);
    expect(Object.fromEntries(decision.offers.map((offer) => [offer.service, offer.organisationId]))).toEqual(
      row.offers,
    );
    if (row.rules) expect(decision.matchedRules).toEqual(expect.arrayContaining(row.rules));
    if (row.rules?.length === 0) expect(decision.matchedRules).toEqual([]);
    // Every rule is explained, matched or not, and every organisation considered says why.
    expect(decision.explanation.rules.map((rule) => rule.rule)).toHaveLength(
      decision.explanation.rules.length,
    );
    expect(decision.explanation.rules.filter((rule) => rule.matched).map((rule) => rule.rule)).toEqual(
      decision.matchedRules,
    );
    for (const offer of decision.offers) {
      for (const candidate of offer.considered) expect(candidate.reason).toEqual(expect.any(String));
      if (offer.organisationId) {
        expect(offer.considered[0]).toMatchObject({
          organisationId: offer.organisationId,
          outcome: 'chosen',
        });
      }
    }
    if (row.excluded) {
      const [organisationId, service, reason] = row.excluded;
      const offer = decision.offers.find((candidate) => candidate.service === service);
      expect(offer?.considered).toContainEqual(
        expect.objectContaining({ organisationId, outcome: 'excluded', reason }),
      );
    }
    // Same input and rule version, same decision.
    expect(await preview(row.referral)).toEqual(decision);
  });

  it('gives a shelter’s last place to one of two referrals routed together, and frees it when that case closes', async () => {
    const needsShelter = { gender: 'female', shelterNeeded: true };
    const shelterOf = async () =>
      (await preview(needsShelter)).offers.find((offer) => offer.service === 'shelter');
    const shelter = (await shelterOf())?.organisationId;
    if (!shelter) throw new Error('the fixture has no shelter for the base referral');
    const setCapacity = (capacity: number | null) =>
      system.request(
        'routing',
        'PUT',
        `/directory/organisations/${shelter}/services/shelter/capacity`,
        { capacity },
        'admin',
      );
    expect((await setCapacity(1)).status).toBe(200);
    const cases = [randomUUID(), randomUUID()];
    const shelterOffers = () =>
      system.sql<{ caseId: string; organisationId: string | null; explanation: unknown[] }>(
        `SELECT case_id::text AS "caseId", organisation_id AS "organisationId", explanation
           FROM routing.offer_decision WHERE case_id = ANY($1::uuid[]) AND service = 'shelter'`,
        [cases],
      );
    const heldAtShelter = () =>
      system.sql<{ caseId: string }>(
        `SELECT case_id::text AS "caseId" FROM routing.placement
          WHERE case_id = ANY($1::uuid[]) AND service = 'shelter' AND organisation_id = $2 AND active`,
        [cases, shelter],
      );

    await produceRaw(
      system.kafkaBrokers,
      topicOf(Streams.referral),
      cases.map((caseId) =>
        eventMessage(
          'referral.submitted',
          caseId,
          referralSubmittedPayload(caseId, { ...BASE, ...needsShelter }),
        ),
      ),
    );
    const offers = await eventually(async () => {
      const decided = await shelterOffers();
      return decided.length === 2 ? decided : undefined;
    }, 30_000);
    const [holder, turnedAway] = [
      offers.find((offer) => offer.organisationId === shelter),
      offers.find((offer) => offer.organisationId !== shelter),
    ];
    expect(holder).toBeDefined();
    expect(turnedAway?.explanation).toContainEqual({
      organisationId: shelter,
      outcome: 'excluded',
      reason: 'full',
      detail: '1 of 1 place in use',
    });
    expect(await heldAtShelter()).toEqual([{ caseId: holder?.caseId }]);
    expect((await shelterOf())?.organisationId).not.toBe(shelter);

    await produceRaw(system.kafkaBrokers, topicOf(Streams.provincialCase), [
      eventMessage('case.transitioned', holder?.caseId as string, {
        caseId: holder?.caseId,
        track: 'case',
        event: 'approve_closure',
        from: 'closure_requested',
        to: 'closed',
        provinceCode: 'TH-30',
      }),
    ]);
    await eventually(async () => ((await heldAtShelter()).length === 0 ? true : undefined), 30_000);
    const afterClosing = await shelterOf();
    expect(afterClosing?.organisationId).toBe(shelter);
    expect(afterClosing?.considered[0]?.reason).toContain('1 place free');
    expect((await setCapacity(null)).status).toBe(200);
  });
});
