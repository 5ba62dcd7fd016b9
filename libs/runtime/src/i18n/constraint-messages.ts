import { Language } from './language';

/** A text in every supported language. */
export type Localised = Record<Language, string>;
type Template = Record<Language, (label: string) => string>;

/**
 * What each broken rule means, for any field: `label` is the field's name in
 * the caller's language. Messages never include the rejected value.
 */
export const CONSTRAINT_MESSAGES: Readonly<Record<string, Template>> = {
  isDefined: { en: (l) => `${l} is required`, th: (l) => `ต้องระบุ${l}` },
  isString: { en: (l) => `${l} must be text`, th: (l) => `${l}ต้องเป็นข้อความ` },
  isInt: { en: (l) => `${l} must be a whole number`, th: (l) => `${l}ต้องเป็นจำนวนเต็ม` },
  min: { en: (l) => `${l} is below the smallest allowed value`, th: (l) => `${l}มีค่าน้อยกว่าที่กำหนด` },
  max: { en: (l) => `${l} is above the largest allowed value`, th: (l) => `${l}มีค่ามากกว่าที่กำหนด` },
  isBoolean: { en: (l) => `${l} must be true or false`, th: (l) => `${l}ต้องเป็น true หรือ false เท่านั้น` },
  isIn: {
    en: (l) => `${l} must be one of the listed codes`,
    th: (l) => `${l}ต้องเป็นรหัสที่อยู่ในรายการที่กำหนด`,
  },
  matches: { en: (l) => `${l} is not in the expected format`, th: (l) => `${l}มีรูปแบบไม่ถูกต้อง` },
  isLength: {
    en: (l) => `${l} is too short or too long`,
    th: (l) => `${l}มีความยาวน้อยหรือมากเกินกว่าที่กำหนด`,
  },
  maxLength: { en: (l) => `${l} is too long`, th: (l) => `${l}ยาวเกินกว่าที่กำหนด` },
  minLength: { en: (l) => `${l} is too short`, th: (l) => `${l}สั้นกว่าที่กำหนด` },
  isNotEmpty: { en: (l) => `${l} cannot be empty`, th: (l) => `${l}ต้องไม่เป็นค่าว่าง` },
  isArray: { en: (l) => `${l} must be a list`, th: (l) => `${l}ต้องเป็นรายการ` },
  isEmail: { en: (l) => `${l} must be an e-mail address`, th: (l) => `${l}ต้องเป็นที่อยู่อีเมล` },
  arrayMinSize: { en: (l) => `${l} needs at least one entry`, th: (l) => `${l}ต้องมีอย่างน้อยหนึ่งรายการ` },
  arrayMaxSize: { en: (l) => `${l} has too many entries`, th: (l) => `${l}มีจำนวนรายการมากเกินไป` },
  arrayUnique: { en: (l) => `${l} lists an entry more than once`, th: (l) => `${l}มีรายการซ้ำกัน` },
  isDateString: {
    en: (l) => `${l} must be a date in the form YYYY-MM-DD`,
    th: (l) => `${l}ต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ปีคริสต์ศักราช)`,
  },
  isIso8601: {
    en: (l) => `${l} must be a date and time in ISO 8601 form`,
    th: (l) => `${l}ต้องเป็นวันที่และเวลาในรูปแบบ ISO 8601`,
  },
  isUuid: { en: (l) => `${l} must be a UUID`, th: (l) => `${l}ต้องเป็นรหัส UUID` },
  isObject: { en: (l) => `${l} must be a group of fields`, th: (l) => `${l}ต้องเป็นกลุ่มข้อมูล` },
  isConvertible: { en: (l) => `${l} has a form that cannot be read`, th: (l) => `${l}มีรูปแบบที่ระบบอ่านไม่ได้` },
  nestedValidation: { en: (l) => `${l} must be a group of fields`, th: (l) => `${l}ต้องเป็นกลุ่มข้อมูล` },
  whitelistValidation: {
    en: (l) => `"${l}" is not a field of this form`,
    th: (l) => `แบบฟอร์มนี้ไม่มีช่องข้อมูล "${l}"`,
  },
  csvFormat: {
    en: (l) => `${l}: the CSV is malformed (quoting, or a number of cells unlike the header's)`,
    th: (l) => `${l}: รูปแบบ CSV ไม่ถูกต้อง (เครื่องหมายอัญประกาศ หรือจำนวนช่องไม่ตรงกับแถวหัวตาราง)`,
  },
  csvHeader: { en: () => 'The CSV needs a header row', th: () => 'ไฟล์ CSV ต้องมีแถวหัวตาราง' },
  csvRepeatedColumn: {
    en: (l) => `Column "${l}" appears more than once`,
    th: (l) => `คอลัมน์ "${l}" ปรากฏมากกว่าหนึ่งครั้ง`,
  },
  notInFuture: { en: (l) => `${l} cannot be in the future`, th: (l) => `${l}ต้องไม่เป็นวันเวลาในอนาคต` },
  ageOrAgeBand: { en: () => 'Give the age or the age band', th: () => 'ต้องระบุอายุหรือช่วงอายุ' },
  matchesAge: {
    en: () => 'The age band does not agree with the age',
    th: () => 'ช่วงอายุไม่ตรงกับอายุที่ระบุ',
  },
  requiredForChild: {
    en: (l) => `${l} is required for a child (under 18)`,
    th: (l) => `ต้องระบุ${l}สำหรับเด็ก (อายุต่ำกว่า 18 ปี)`,
  },
  onlyForChild: {
    en: (l) => `${l} applies only to a child (under 18)`,
    th: (l) => `${l}ใช้ได้เฉพาะกับเด็ก (อายุต่ำกว่า 18 ปี) เท่านั้น`,
  },
  requiredForAdult: {
    en: (l) => `${l} is required for an adult`,
    th: (l) => `ต้องระบุ${l}สำหรับผู้ที่มีอายุ 18 ปีขึ้นไป`,
  },
  requiredForForcedLabour: {
    en: (l) => `${l} is required when forced labour is suspected`,
    th: (l) => `ต้องระบุ${l}เมื่อสงสัยว่ามีการบังคับใช้แรงงาน`,
  },
  onlyForForcedLabour: {
    en: (l) => `${l} applies only when forced labour is suspected`,
    th: (l) => `${l}ใช้ได้เฉพาะเมื่อสงสัยว่ามีการบังคับใช้แรงงานเท่านั้น`,
  },
  notWithGender: {
    en: (l) => `${l} cannot be recorded for the gender given`,
    th: (l) => `ไม่สามารถบันทึก${l}สำหรับเพศที่ระบุได้`,
  },
  onlyWithDisability: {
    en: (l) => `${l} applies only when a disability is recorded`,
    th: (l) => `${l}ใช้ได้เฉพาะเมื่อระบุว่ามีความพิการเท่านั้น`,
  },
};

export const UNKNOWN_CONSTRAINT: Template = {
  en: (l) => `${l} is not valid`,
  th: (l) => `${l}ไม่ถูกต้อง`,
};

export const INVALID_REQUEST: Localised = {
  en: 'The request has invalid fields',
  th: 'คำขอมีข้อมูลที่ไม่ถูกต้อง',
};
