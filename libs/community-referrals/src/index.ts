export * from './intermediate-care-referral';
export * from './community-referral-rules';
