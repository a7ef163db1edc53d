export * from './intermediate-care-referral';
export * from './community-referral-rules';
export * from './process-managers';
export * from './community-referrals.context';
export * from './measures';
