import { ActorRole } from '@nrm/contracts';
import { MessageKey } from '../i18n/messages';

interface NavigationItem {
  href: string;
  label: MessageKey;
}

const INBOX: NavigationItem = { href: '/inbox', label: 'navInbox' };
const PREFERENCES: NavigationItem = { href: '/preferences', label: 'navPreferences' };

/** Each role's menu: its own pages, then everyone's inbox and notification preferences. */
const MENUS: Partial<Record<ActorRole, NavigationItem[]>> = {
  'case-worker': [
    { href: '/referrals', label: 'navMyReferrals' },
    { href: '/referrals/new', label: 'navNewReferral' },
  ],
  'organisation-member': [{ href: '/offers', label: 'navOffers' }],
  coordinator: [{ href: '/cases', label: 'navCases' }],
  supervisor: [
    { href: '/oversight', label: 'navDashboard' },
    { href: '/oversight/cases', label: 'navOversightCases' },
  ],
  admin: [
    { href: '/admin/dead-letters', label: 'navDeadLetters' },
    { href: '/admin/queues', label: 'navQueues' },
  ],
};

export function navigationFor(role: ActorRole): NavigationItem[] {
  return [...(MENUS[role] ?? []), INBOX, PREFERENCES];
}
