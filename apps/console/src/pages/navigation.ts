import { ActorRole } from '@nrm/contracts';
import { MessageKey } from '../i18n/messages';

interface NavigationItem {
  href: string;
  label: MessageKey;
}

const INBOX: NavigationItem = { href: '/inbox', label: 'navInbox' };

/** Each role's menu: its own pages, and everyone's inbox. */
const MENUS: Partial<Record<ActorRole, NavigationItem[]>> = {
  'case-worker': [
    { href: '/referrals', label: 'navMyReferrals' },
    { href: '/referrals/new', label: 'navNewReferral' },
    INBOX,
  ],
  'organisation-member': [{ href: '/offers', label: 'navOffers' }, INBOX],
  coordinator: [{ href: '/cases', label: 'navCases' }, INBOX],
  supervisor: [
    { href: '/oversight', label: 'navDashboard' },
    { href: '/oversight/cases', label: 'navOversightCases' },
    INBOX,
  ],
  admin: [
    { href: '/admin/dead-letters', label: 'navDeadLetters' },
    { href: '/admin/queues', label: 'navQueues' },
    INBOX,
  ],
  auditor: [INBOX],
};

export function navigationFor(role: ActorRole): NavigationItem[] {
  return MENUS[role] ?? [INBOX];
}
