/** Every kind of notice, and who it is for. */
export const NOTICE_KINDS = [
  /** Coordinators: a new case to accept or transfer. */
  'case.opened',
  /** Coordinators of the province asked: accept or decline the transfer. */
  'case.transfer-requested',
  /** The referring case worker: the province took the case. */
  'case.accepted',
  /** The referring case worker: the person was identified as a victim. */
  'case.identified',
  /** The referring case worker: the case was closed. */
  'case.closed',
  /** Coordinators: a deadline is close. */
  'deadline.near',
  /** Coordinators and supervisors: a deadline passed and the case escalated. */
  'deadline.breached',
  /** Coordinators and supervisors: no organisation could take a service. */
  'service.unavailable',
  /** An organisation: it is offered a service. */
  'service-offer.received',
  /** An organisation: its answer to an offer is due soon. */
  'service-offer.reminder',
  /** An organisation: the offer expired unanswered and went to the next. */
  'service-offer.expired',
  /** Supervisors: the day's figures per province. */
  'digest.daily',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface DigestRow {
  provinceCode: string;
  newCases: number;
  breaches: number;
  waiting: number;
}

/**
 * What a notice may say, as codes and times: never a name, a document number,
 * contact details, an address or a story. Templates and webhooks read only these.
 */
export interface NoticeFacts {
  provinceCode?: string;
  transferTo?: string;
  service?: string;
  organisationId?: string;
  deadlineKind?: string;
  dueAt?: string;
  /** Bangkok date of a digest, YYYY-MM-DD. */
  date?: string;
  provinces?: DigestRow[];
}
