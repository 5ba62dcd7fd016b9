import { caseReference, PROVINCES } from '@nrm/contracts';
import provinceDirectory from '../../../../data/directory/provinces.json';
import type { Language } from '../audiences/subscriber.dto';
import { DigestRow, NoticeFacts, NoticeKind } from './notice-kinds';

export interface RenderedNotice {
  subject: string;
  text: string;
  html: string;
  /** A short form for SMS and LINE. */
  short: string;
}

export interface NoticeToRender {
  kind: string;
  caseId: string | null;
  facts: NoticeFacts;
}

type Words = Record<string, { th: string; en: string }>;

const PROVINCE_NAMES_TH: Record<string, string> = Object.fromEntries(
  provinceDirectory.provinces.map((province) => [province.code, province.nameTh]),
);

const SERVICE_NAMES: Words = {
  shelter: { th: 'ที่พักพิง', en: 'shelter' },
  'child-protection': { th: 'การคุ้มครองเด็ก', en: 'child protection' },
  'medical-care': { th: 'การรักษาพยาบาล', en: 'medical care' },
  'psychosocial-support': { th: 'การดูแลด้านจิตสังคม', en: 'psychosocial support' },
  'legal-aid': { th: 'ความช่วยเหลือทางกฎหมาย', en: 'legal aid' },
  interpretation: { th: 'ล่าม', en: 'interpretation' },
  repatriation: { th: 'การส่งกลับภูมิลำเนา', en: 'repatriation' },
  immigration: { th: 'งานตรวจคนเข้าเมือง', en: 'immigration' },
  'consular-assistance': { th: 'ความช่วยเหลือทางกงสุล', en: 'consular assistance' },
  'labour-inspection': { th: 'การตรวจแรงงาน', en: 'labour inspection' },
  'fisheries-inspection': { th: 'การตรวจประมง', en: 'fisheries inspection' },
};

const DEADLINE_NAMES: Words = {
  'provincial-acceptance': { th: 'การรับเรื่องของจังหวัด', en: 'provincial acceptance' },
  'transfer-response': { th: 'การตอบคำขอโอนเรื่อง', en: 'answer to the transfer request' },
  's29-hold': { th: 'การควบคุมตัวตามมาตรา 29', en: 's.29 hold' },
  'mdt-interview': { th: 'การสัมภาษณ์โดยทีมสหวิชาชีพ', en: 'multidisciplinary team interview' },
  'offer-response': { th: 'การตอบข้อเสนอบริการ', en: 'answer to the service offer' },
  'follow-up-visit': { th: 'การติดตามเยี่ยม', en: 'follow-up visit' },
};

function word(words: Words, code: string | undefined, language: Language): string {
  if (!code) return '';
  return words[code]?.[language] ?? code;
}

function province(code: string | undefined, language: Language): string {
  if (!code) return '';
  return language === 'th' ? (PROVINCE_NAMES_TH[code] ?? code) : (PROVINCES[code] ?? code);
}

/** Bangkok time, in the Thai (Buddhist era) calendar for Thai readers. */
function when(iso: string | undefined, language: Language): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language === 'th' ? 'th-TH' : 'en-GB', {
    timeZone: 'Asia/Bangkok',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

interface Wording {
  subject: string;
  lines: string[];
}

type Template = (facts: NoticeFacts, reference: string, language: Language) => Wording;

function bilingual(th: (f: Formatted) => Wording, en: (f: Formatted) => Wording): Template {
  return (facts, reference, language) => {
    const formatted: Formatted = {
      reference,
      province: province(facts.provinceCode, language),
      transferTo: province(facts.transferTo, language),
      service: word(SERVICE_NAMES, facts.service, language),
      deadline: word(DEADLINE_NAMES, facts.deadlineKind, language),
      due: when(facts.dueAt, language),
      facts,
    };
    return language === 'th' ? th(formatted) : en(formatted);
  };
}

interface Formatted {
  reference: string;
  province: string;
  transferTo: string;
  service: string;
  deadline: string;
  due: string;
  facts: NoticeFacts;
}

function dueLine(f: Formatted, language: Language): string[] {
  if (!f.due) return [];
  return [language === 'th' ? `ครบกำหนด: ${f.due}` : `Due: ${f.due}`];
}

function digestLines(rows: DigestRow[], language: Language): string[] {
  if (rows.length === 0)
    return [
      language === 'th'
        ? 'ไม่มีกรณีใหม่ ไม่มีการเลยกำหนดเวลา และไม่มีกรณีรอรับเรื่อง'
        : 'No new cases, no breaches and no cases waiting.',
    ];
  return rows.map((row) =>
    language === 'th'
      ? `${province(row.provinceCode, 'th')}: กรณีใหม่ ${row.newCases}, เลยกำหนดเวลา ${row.breaches}, รอรับเรื่อง ${row.waiting}`
      : `${province(row.provinceCode, 'en')}: ${row.newCases} new, ${row.breaches} breached, ${row.waiting} waiting`,
  );
}

const TEMPLATES: Record<NoticeKind, Template> = {
  'case.opened': bilingual(
    (f) => ({
      subject: `กรณีใหม่ ${f.reference} ในจังหวัด${f.province}`,
      lines: [`มีกรณีใหม่ส่งต่อมายังจังหวัด${f.province}`, 'โปรดรับเรื่องหรือขอโอนเรื่องไปยังจังหวัดที่รับผิดชอบ'],
    }),
    (f) => ({
      subject: `New case ${f.reference} in ${f.province}`,
      lines: [
        `A new case has been referred to ${f.province}.`,
        'Please accept it, or ask to transfer it to the responsible province.',
      ],
    }),
  ),
  'case.transfer-requested': bilingual(
    (f) => ({
      subject: `ขอโอนกรณี ${f.reference} มายังจังหวัด${f.transferTo}`,
      lines: [`จังหวัด${f.province}ขอโอนกรณีนี้มายังจังหวัด${f.transferTo}`, 'โปรดตอบรับหรือปฏิเสธการโอน'],
    }),
    (f) => ({
      subject: `Transfer of case ${f.reference} to ${f.transferTo} requested`,
      lines: [
        `${f.province} asks ${f.transferTo} to take this case.`,
        'Please accept or decline the transfer.',
      ],
    }),
  ),
  'case.accepted': bilingual(
    (f) => ({
      subject: `จังหวัด${f.province}รับกรณี ${f.reference} แล้ว`,
      lines: [`จังหวัด${f.province}รับกรณีที่ท่านส่งต่อแล้ว`],
    }),
    (f) => ({
      subject: `${f.province} accepted case ${f.reference}`,
      lines: [`${f.province} has accepted the case you referred.`],
    }),
  ),
  'case.identified': bilingual(
    (f) => ({
      subject: `กรณี ${f.reference}: คัดแยกเป็นผู้เสียหายแล้ว`,
      lines: ['บุคคลในกรณีที่ท่านส่งต่อได้รับการคัดแยกเป็นผู้เสียหายจากการค้ามนุษย์แล้ว'],
    }),
    (f) => ({
      subject: `Case ${f.reference}: identified as a victim`,
      lines: ['The person in the case you referred has been identified as a victim of trafficking.'],
    }),
  ),
  'case.closed': bilingual(
    (f) => ({ subject: `กรณี ${f.reference} ปิดแล้ว`, lines: ['กรณีที่ท่านส่งต่อปิดแล้ว'] }),
    (f) => ({ subject: `Case ${f.reference} closed`, lines: ['The case you referred has been closed.'] }),
  ),
  'deadline.near': bilingual(
    (f) => ({
      subject: `ใกล้ครบกำหนด${f.deadline}: กรณี ${f.reference}`,
      lines: [`กำหนดเวลา${f.deadline}ของกรณีนี้ใกล้ครบแล้ว`, ...dueLine(f, 'th')],
    }),
    (f) => ({
      subject: `Due soon, ${f.deadline}: case ${f.reference}`,
      lines: [`The deadline for the ${f.deadline} on this case is close.`, ...dueLine(f, 'en')],
    }),
  ),
  'deadline.breached': bilingual(
    (f) => ({
      subject: `เลยกำหนด${f.deadline}: กรณี ${f.reference}`,
      lines: [`เลยกำหนดเวลา${f.deadline}ของกรณีนี้ในจังหวัด${f.province}แล้ว`, 'เรื่องถูกรายงานไปยังผู้กำกับดูแลแล้ว'],
    }),
    (f) => ({
      subject: `Deadline missed, ${f.deadline}: case ${f.reference}`,
      lines: [
        `The ${f.deadline} deadline on this case in ${f.province} has passed.`,
        'Supervisors have been told.',
      ],
    }),
  ),
  'service.unavailable': bilingual(
    (f) => ({
      subject: `ไม่มีหน่วยงานรับ${f.service}: กรณี ${f.reference}`,
      lines: [`ไม่มีหน่วยงานใดรับให้บริการ${f.service}สำหรับกรณีนี้ในจังหวัด${f.province}`, 'โปรดจัดหาหน่วยงานด้วยตนเอง'],
    }),
    (f) => ({
      subject: `No provider for ${f.service}: case ${f.reference}`,
      lines: [
        `No organisation could take ${f.service} for this case in ${f.province}.`,
        'Please find a provider directly.',
      ],
    }),
  ),
  'service-offer.received': bilingual(
    (f) => ({
      subject: `ข้อเสนอให้บริการ${f.service}: กรณี ${f.reference}`,
      lines: [`จังหวัด${f.province}เสนอให้หน่วยงานของท่านให้บริการ${f.service}`, 'โปรดตอบรับหรือปฏิเสธข้อเสนอ'],
    }),
    (f) => ({
      subject: `Service offer, ${f.service}: case ${f.reference}`,
      lines: [
        `${f.province} offers your organisation this case for ${f.service}.`,
        'Please accept or decline the offer.',
      ],
    }),
  ),
  'service-offer.reminder': bilingual(
    (f) => ({
      subject: `ยังไม่ได้ตอบข้อเสนอ${f.service}: กรณี ${f.reference}`,
      lines: [`ข้อเสนอให้บริการ${f.service}ยังรอคำตอบจากหน่วยงานของท่าน`, ...dueLine(f, 'th')],
    }),
    (f) => ({
      subject: `Offer awaiting your answer, ${f.service}: case ${f.reference}`,
      lines: [`The offer of ${f.service} still awaits your organisation's answer.`, ...dueLine(f, 'en')],
    }),
  ),
  'service-offer.expired': bilingual(
    (f) => ({
      subject: `ข้อเสนอ${f.service}หมดเวลา: กรณี ${f.reference}`,
      lines: [`ข้อเสนอให้บริการ${f.service}หมดเวลาโดยไม่ได้รับคำตอบ และส่งต่อไปยังหน่วยงานถัดไปแล้ว`],
    }),
    (f) => ({
      subject: `Offer expired, ${f.service}: case ${f.reference}`,
      lines: [`The offer of ${f.service} expired unanswered and has gone to the next organisation.`],
    }),
  ),
  'digest.daily': bilingual(
    (f) => ({
      subject: `สรุปประจำวัน ${f.facts.date ?? ''}`,
      lines: [
        'กรณีใหม่ การเลยกำหนดเวลา และกรณีที่รอรับเรื่อง รายจังหวัด ใน 24 ชั่วโมงที่ผ่านมา',
        ...digestLines(f.facts.provinces ?? [], 'th'),
      ],
    }),
    (f) => ({
      subject: `Daily summary ${f.facts.date ?? ''}`,
      lines: [
        'New cases, missed deadlines and cases waiting, per province, over the last 24 hours.',
        ...digestLines(f.facts.provinces ?? [], 'en'),
      ],
    }),
  ),
};

const CASE_LABEL = { th: 'กรณี', en: 'Case' };

const FOOTER = {
  th: 'ข้อความนี้ระบุกรณีด้วยเลขอ้างอิงเท่านั้น โปรดเข้าสู่ระบบเพื่อดูรายละเอียด',
  en: 'This message names the case by its reference only. Sign in to see the details.',
};

const ACTION = { th: 'เปิดดูกรณี', en: 'Open the case', digest: { th: 'เปิดแดชบอร์ด', en: 'Open the dashboard' } };

/** Where a notice sends its reader in the console: the case, or the dashboard for a digest. */
export function linkOf(consoleUrl: string, caseId: string | null): string {
  return caseId ? `${consoleUrl}/cases/${caseId}` : `${consoleUrl}/dashboard`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A notice in one language, for each channel's form: e-mail subject and bodies, and a short text. */
export function render(notice: NoticeToRender, language: Language, consoleUrl: string): RenderedNotice {
  const template = TEMPLATES[notice.kind as NoticeKind];
  if (!template) throw new Error(`No template for notice kind ${notice.kind}`);
  const reference = notice.caseId ? caseReference(notice.caseId) : '';
  const { subject, lines } = template(notice.facts, reference, language);
  const link = linkOf(consoleUrl, notice.caseId);
  const action = notice.caseId ? ACTION[language] : ACTION.digest[language];
  const body = reference ? [`${CASE_LABEL[language]}: ${reference}`, ...lines] : lines;
  const text = [...body, '', `${action}: ${link}`, '', `-- ${FOOTER[language]}`].join('\n');
  const html = [
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    `<h1 style="font-size: 1.2em">${escapeHtml(subject)}</h1>`,
    ...body.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>`,
    `<p style="color: #555; font-size: 0.9em">${escapeHtml(FOOTER[language])}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: `[nrm-flow] ${subject}`, text, html, short: `${subject} ${link}` };
}
