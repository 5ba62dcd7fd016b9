import { FieldCatalogue } from './field-problems';

const recorded = (en: string, th: string) => ({
  recordedBy: { en: `${en} recorded by`, th: `ผู้บันทึก${th}` },
  recordedAt: { en: `Time ${en.toLowerCase()} was recorded`, th: `วันเวลาที่บันทึก${th}` },
});

function under(prefix: string, labels: Record<string, { en: string; th: string }>) {
  return Object.fromEntries(Object.entries(labels).map(([field, label]) => [`${prefix}.${field}`, label]));
}

const consent = recorded('Consent', 'ความยินยอม');
const childDecision = recorded(
  'Guardian consent or best-interest decision',
  'ความยินยอมของผู้ปกครองหรือการตัดสินใจ',
);

/** The referral form's field names in English and Thai, for localised error messages. */
export const REFERRAL_FIELDS: FieldCatalogue = {
  labels: {
    rows: { en: 'The batch', th: 'ชุดข้อมูลที่ส่ง' },
    row: { en: 'The row', th: 'แถวข้อมูล' },
    referrer: { en: 'Referrer', th: 'ข้อมูลผู้ส่งต่อ' },
    'referrer.organisation': { en: 'Referring organisation', th: 'หน่วยงานผู้ส่งต่อ' },
    'referrer.officer': { en: 'Referring officer', th: 'เจ้าหน้าที่ผู้ส่งต่อ' },
    'referrer.contactChannel': { en: 'Contact channel', th: 'ช่องทางการติดต่อ' },
    cameToNoticeVia: { en: 'How the person came to notice', th: 'ช่องทางที่ทราบเรื่อง' },
    found: { en: 'Where and when the person was found', th: 'สถานที่และวันที่พบตัว' },
    'found.provinceCode': { en: 'Province where found', th: 'จังหวัดที่พบตัว' },
    'found.district': { en: 'District where found', th: 'อำเภอที่พบตัว' },
    'found.date': { en: 'Date found', th: 'วันที่พบตัว' },
    person: { en: 'Person', th: 'ข้อมูลบุคคล' },
    'person.age': { en: 'Age', th: 'อายุ' },
    'person.ageBand': { en: 'Age band', th: 'ช่วงอายุ' },
    'person.gender': { en: 'Gender', th: 'เพศ' },
    'person.nationality': { en: 'Nationality', th: 'สัญชาติ' },
    'person.languages': { en: 'Languages', th: 'ภาษาที่ใช้' },
    'person.interpreterNeeded': { en: 'Interpreter needed', th: 'ความต้องการล่าม' },
    'person.disability': { en: 'Disability', th: 'ความพิการ' },
    'person.disabilityKinds': { en: 'Kinds of disability', th: 'ประเภทความพิการ' },
    'person.pregnancy': { en: 'Pregnancy', th: 'การตั้งครรภ์' },
    'person.immigrationDocumentStatus': {
      en: 'Immigration document status',
      th: 'สถานะเอกสารการเข้าเมือง',
    },
    exploitationTypes: { en: 'Suspected types of exploitation', th: 'รูปแบบการแสวงประโยชน์ที่สงสัย' },
    forcedLabourSector: { en: 'Forced-labour sector', th: 'ประเภทงานที่ถูกบังคับใช้แรงงาน' },
    indicators: { en: 'Indicators', th: 'ข้อบ่งชี้' },
    'indicators.forcedLabour': { en: 'Forced-labour indicators', th: 'ข้อบ่งชี้การบังคับใช้แรงงาน' },
    'indicators.methodsOfControl': { en: 'Methods of control', th: 'วิธีการควบคุมตัวบุคคล' },
    needs: { en: 'Immediate needs', th: 'ความต้องการเร่งด่วน' },
    'needs.dangerLevel': { en: 'Danger level', th: 'ระดับอันตราย' },
    'needs.medical': { en: 'Medical need', th: 'ความจำเป็นด้านการรักษาพยาบาล' },
    'needs.shelter': { en: 'Shelter needed', th: 'ความต้องการที่พักพิง' },
    'needs.legalAid': { en: 'Legal aid needed', th: 'ความต้องการความช่วยเหลือทางกฎหมาย' },
    'needs.interpreter': { en: 'Interpreter needed', th: 'ความต้องการล่าม' },
    'needs.wishToReturnHome': { en: 'Wish to return home', th: 'ความประสงค์จะเดินทางกลับภูมิลำเนา' },
    consent: { en: 'Consent', th: 'ความยินยอม' },
    'consent.shareWithServiceProviders': {
      en: 'Consent to share with service providers',
      th: 'ความยินยอมให้ส่งต่อข้อมูลแก่หน่วยงานผู้ให้บริการ',
    },
    'consent.contactLater': { en: 'Consent to be contacted later', th: 'ความยินยอมให้ติดต่อกลับในภายหลัง' },
    ...under('consent', consent),
    guardianOrBestInterest: {
      en: 'Guardian consent or best-interest decision',
      th: 'ความยินยอมของผู้ปกครองหรือการตัดสินใจเพื่อประโยชน์สูงสุดของเด็ก',
    },
    'guardianOrBestInterest.kind': { en: 'Kind of decision', th: 'ประเภทของการตัดสินใจ' },
    ...under('guardianOrBestInterest', childDecision),
    identity: { en: 'Identifying details', th: 'ข้อมูลระบุตัวตน' },
    'identity.fullName': { en: 'Full name', th: 'ชื่อ-นามสกุล' },
    'identity.dateOfBirth': { en: 'Date of birth', th: 'วันเกิด' },
    'identity.documentNumber': { en: 'Document number', th: 'เลขที่เอกสาร' },
    'identity.otherDocumentNumbers': { en: 'Other document numbers', th: 'เลขที่เอกสารอื่น' },
    'identity.phone': { en: 'Phone number', th: 'หมายเลขโทรศัพท์' },
    'identity.address': { en: 'Address', th: 'ที่อยู่' },
    narrative: { en: 'Narrative', th: 'คำบอกเล่าเหตุการณ์' },
  },
  messages: {
    'person.nationality:matches': {
      en: 'Nationality must be a three-letter ISO code',
      th: 'สัญชาติต้องเป็นรหัส ISO ตัวอักษรภาษาอังกฤษพิมพ์ใหญ่สามตัว เช่น MMR',
    },
    'person.languages:matches': {
      en: 'Languages must be three-letter ISO 639-3 codes',
      th: 'ภาษาที่ใช้ต้องเป็นรหัส ISO 639-3 ตัวอักษรภาษาอังกฤษพิมพ์เล็กสามตัว เช่น mya',
    },
    'referrer.organisation:matches': {
      en: 'Referring organisation must be a directory id of lower-case letters, digits and hyphens',
      th: 'หน่วยงานผู้ส่งต่อต้องเป็นรหัสในทำเนียบหน่วยงาน ประกอบด้วยตัวอักษรภาษาอังกฤษพิมพ์เล็ก ตัวเลข และขีดกลาง',
    },
    'found.provinceCode:isIn': {
      en: 'Province where found must be an ISO 3166-2:TH province code such as TH-63',
      th: 'จังหวัดที่พบตัวต้องเป็นรหัสจังหวัดตาม ISO 3166-2:TH เช่น TH-63',
    },
    'consent.recordedAt:matches': {
      en: 'Time consent was recorded must be a date and time such as 2026-11-20T09:30:00+07:00',
      th: 'วันเวลาที่บันทึกความยินยอมต้องอยู่ในรูปแบบวันที่และเวลา เช่น 2026-11-20T09:30:00+07:00',
    },
    'guardianOrBestInterest.recordedAt:matches': {
      en: 'Time the decision was recorded must be a date and time such as 2026-11-20T09:30:00+07:00',
      th: 'วันเวลาที่บันทึกการตัดสินใจต้องอยู่ในรูปแบบวันที่และเวลา เช่น 2026-11-20T09:30:00+07:00',
    },
  },
};
