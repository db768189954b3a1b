import { en as consoleEn } from '../../src/i18n/en';
import type { Messages } from './de';
import { sharedSections } from './shared';

const shared = sharedSections(consoleEn);

// English; same shape as de.ts.
export const en: Messages = {
  ...shared,
  errors: {
    ...shared.errors,
    client_error: 'Something went wrong in the customer portal. Please reload the page.',
    forbidden: 'This action is not possible for your account.',
    network: 'The server cannot be reached. Please try again later.',
  },
  portal: {
    name: 'Customer portal',
    nav: {
      label: 'Main navigation', overview: 'Overview', campaigns: 'Campaigns', creatives: 'Creatives', sites: 'Sites & zones',
      requests: 'Requests', account: 'My data', security: 'Account security',
    },
    signIn: {
      title: 'Sign in', intro: 'Sign in with the e-mail address and password of your customer account.',
      disabled: 'This access is disabled. Please contact your agency.',
      noAccount: 'No access yet? Your agency invites you with an invitation link.',
      deletionRequested: 'Deletion of your customer account has been requested. The account is locked from now on and will be erased when the legal retention periods end. You have been signed out.',
      expired: 'Your session has ended. Please sign in again.',
    },
    invite: {
      title: 'Accept invitation', intro: 'You have been invited to the customer portal of {customer}. Choose a password to set up your access.',
      validUntil: 'Valid until', password: 'New password', passwordHint: 'At least {n} characters.', repeat: 'Repeat password',
      mismatch: 'The passwords do not match.', submit: 'Set password and sign in', toSignIn: 'Go to sign-in',
    },
    overview: {
      title: 'Overview', welcome: 'Welcome to the customer portal of {customer}.', active: 'Active campaigns: {n}', last7Days: 'Last 7 days',
    },
    campaigns: { title: 'Campaigns', detailTitle: 'Campaign', empty: 'No campaigns.', facts: 'Key facts' },
    creatives: { title: 'Creatives', empty: 'No creatives.' },
    sites: {
      title: 'Sites & zones', intro: 'Your sites and apps with their zones and the code you embed there.',
      empty: 'No sites or apps (publishers only).',
    },
    account: {
      title: 'My data', intro: 'The contact data we keep for your customer account. You can correct or export it, or request deletion, at any time.',
      contact: 'Contact data', correct: 'Correct', company: 'Company', saved: 'Your data has been corrected.',
      exportTitle: 'Data export', exportText: 'All data of your customer account as a JSON file (data portability).', export: 'Download my data (JSON)',
      exported: 'Export downloaded.', deletionTitle: 'Request deletion',
      deletionIntro: 'You can request the deletion of your customer account.',
      deletionText: 'Your account is locked at once: no delivery, no further processing, no more sign-in to the portal. It is erased when the legal retention periods end. This cannot be undone.',
      requestDeletion: 'Request deletion…', deletionConfirm: 'Yes, lock the account and request deletion', restrictedSince: 'Locked since {at} (deletion requested).',
    },
    requests: {
      title: 'Requests', detailTitle: 'Request', intro: 'Requests from data subjects your agency forwarded to you. Please answer them before the deadline.',
      empty: 'No forwarded requests.', yourStatus: 'Your status', forwardedAt: 'Forwarded', replies: 'Replies', facts: 'Details',
      statuses: { new: 'new', in_progress: 'in progress', done: 'done' }, noReplies: 'No replies yet.',
      author: { customer: 'Your reply', staff: 'Agency' }, yourReply: 'Your reply', replyHint: 'The reply is stored encrypted and reaches your agency.',
      send: 'Send reply', replySent: 'Reply sent.', statusSaved: 'Status saved.', changeStatus: 'Change status',
      closed: 'The agency has closed this request; replies are no longer possible.', 
      mark: { in_progress: 'In progress', done: 'Done' },
    },
    security: {
      title: 'Account security', passwordTitle: 'Change password', passwordIntro: 'Your other sessions are signed out.',
      currentPassword: 'Current password', newPassword: 'New password', changePassword: 'Change password', passwordChanged: 'Password changed.',
      totpIntro: 'Optional: with an authenticator app (e.g. Aegis, FreeOTP, Google Authenticator) a second, changing code protects your account even if someone knows your password.',
      wrongPassword: 'The password you entered is wrong.', uri: 'Set-up URI as text',
    },
    footer: { label: 'Legal', privacy: 'Privacy', imprint: 'Imprint', contact: 'Contact' },
    notFound: { title: 'Page not found', text: 'This page does not exist.', back: 'Back to the overview' },
  },
};
