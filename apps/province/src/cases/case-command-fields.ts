import { FieldCatalogue } from '@nrm/runtime';

/** The province API's fields in English and Thai, for localised error messages. */
export const CASE_COMMAND_FIELDS: FieldCatalogue = {
  labels: {
    event: { en: 'Step', th: 'ขั้นตอน' },
    reason: { en: 'Reason', th: 'เหตุผล' },
    transferTo: { en: 'Province to transfer to', th: 'จังหวัดที่โอนไป' },
    caseManagerId: { en: 'Case manager', th: 'ผู้จัดการรายกรณี' },
    mdtMembers: { en: 'Multidisciplinary team', th: 'ทีมสหวิชาชีพ' },
    'mdtMembers.userId': { en: 'Team member', th: 'สมาชิกทีม' },
    'mdtMembers.organisationId': { en: "Team member's organisation", th: 'หน่วยงานของสมาชิกทีม' },
    'mdtMembers.role': { en: "Team member's role", th: 'บทบาทของสมาชิกทีม' },
    courtOrderReference: { en: 'Court order reference', th: 'เลขที่คำสั่งศาล' },
    extraDays: { en: 'Extra days', th: 'จำนวนวันที่ขยาย' },
    resolution: { en: 'What was done', th: 'สิ่งที่ได้ดำเนินการ' },
    visitedOn: { en: 'Date of the visit', th: 'วันที่เยี่ยม' },
    outcome: { en: 'Outcome of the visit', th: 'ผลการติดตาม' },
    service: { en: 'Service', th: 'บริการ' },
    organisationId: { en: 'Organisation', th: 'หน่วยงาน' },
  },
};
