import { caseReference } from '@nrm/contracts';
import { NOTICE_KINDS, NoticeFacts } from './notice-kinds';
import { render } from './templates';

const CASE_ID = '5f0c6a52-8a7e-4c1e-9d0b-3f2a1b4c5d6e';
const FACTS: NoticeFacts = {
  provinceCode: 'TH-63',
  transferTo: 'TH-10',
  service: 'legal-aid',
  organisationId: 'ngo-mae-sot-migrant-support',
  deadlineKind: 'offer-response',
  dueAt: '2026-11-23T03:00:00.000Z',
  date: '2026-11-22',
  provinces: [{ provinceCode: 'TH-63', newCases: 3, breaches: 1, waiting: 2 }],
};

describe('notice templates', () => {
  it.each(
    NOTICE_KINDS.flatMap((kind) => (['th', 'en'] as const).map((language) => [kind, language] as const)),
  )('%s in %s names the case by reference, links to it and leaves no placeholder empty', (kind, language) => {
    const caseId = kind === 'digest.daily' ? null : CASE_ID;
    const rendered = render({ kind, caseId, facts: FACTS }, language, 'https://nrm.example');
    for (const text of [rendered.subject, rendered.text, rendered.html, rendered.short]) {
      expect(text).not.toMatch(/undefined|null|\$\{|\bTH-\d\d\b/);
      if (caseId) expect(text).toContain(caseReference(caseId));
    }
    expect(rendered.text).toContain(
      caseId ? `https://nrm.example/cases/${CASE_ID}` : 'https://nrm.example/dashboard',
    );
    if (language === 'th') expect(rendered.text).toMatch(/[\u0E00-\u0E7F]/);
    else expect(rendered.text).not.toMatch(/[\u0E00-\u0E7F]/);
  });

  it('gives due times in Bangkok time, in the Buddhist era for Thai readers', () => {
    const facts = { ...FACTS, deadlineKind: 'provincial-acceptance' };
    expect(render({ kind: 'deadline.near', caseId: CASE_ID, facts }, 'en', 'https://x').text).toContain(
      'Due: 23 Nov 2026, 10:00',
    );
    expect(render({ kind: 'deadline.near', caseId: CASE_ID, facts }, 'th', 'https://x').text).toContain(
      '2569',
    );
  });
});
