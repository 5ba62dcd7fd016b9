import { FieldCatalogue } from '@nrm/runtime';

/** The notifications API's fields in English and Thai, for localised error messages. */
export const NOTIFICATION_FIELDS: FieldCatalogue = {
  labels: {
    language: { en: 'Language of messages', th: 'ภาษาของข้อความ' },
    channels: { en: 'Channels', th: 'ช่องทาง' },
    email: { en: 'E-mail address', th: 'ที่อยู่อีเมล' },
    phone: { en: 'Phone number', th: 'หมายเลขโทรศัพท์' },
    lineUserId: { en: 'LINE user ID', th: 'LINE user ID' },
    quietFrom: { en: 'Start of quiet hours', th: 'เวลาเริ่มงดรับ' },
    quietUntil: { en: 'End of quiet hours', th: 'เวลาสิ้นสุดงดรับ' },
  },
  messages: {
    'phone:matches': {
      en: 'Phone number must be in international form, such as +66812345678',
      th: 'หมายเลขโทรศัพท์ต้องอยู่ในรูปแบบสากล เช่น +66812345678',
    },
    'lineUserId:matches': {
      en: 'LINE user ID must be U followed by 32 letters or digits',
      th: 'LINE user ID ต้องขึ้นต้นด้วย U ตามด้วยตัวอักษรหรือตัวเลข 32 ตัว',
    },
    'quietFrom:matches': {
      en: 'Start of quiet hours must be a time, such as 22:00',
      th: 'เวลาเริ่มงดรับต้องเป็นเวลา เช่น 22:00',
    },
    'quietUntil:matches': {
      en: 'End of quiet hours must be a time, such as 07:00',
      th: 'เวลาสิ้นสุดงดรับต้องเป็นเวลา เช่น 07:00',
    },
  },
};
