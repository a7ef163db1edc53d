import type { Comparison, Counts, Pathway, Shares } from '../../api/types';

/** Percent to one decimal place, or null when nothing was discharged. */
export function combinedShare(counts: Counts, pathways: readonly Pathway[]): number | null {
  const total = counts[0] + counts[1] + counts[2] + counts[3];
  if (total === 0) return null;
  const part = pathways.reduce<number>((sum, p) => sum + counts[p], 0);
  return Math.round((part / total) * 1000) / 10;
}

export const formatShare = (share: number | null) => (share === null ? '—' : `${share.toFixed(1)}%`);

/** Leader views suppress small counts (DESIGN §4): 0 < c < threshold shows as "<threshold". */
export const formatCount = (count: number, threshold: number) =>
  count > 0 && count < threshold ? `<${threshold}` : String(count);

export type Verdict = 'met' | 'not-met' | 'no-data' | 'info';

export function verdict(share: number | null, percent: number, comparison: Comparison): Verdict {
  if (share === null) return 'no-data';
  if (comparison === 'at-least') return share >= percent ? 'met' : 'not-met';
  if (comparison === 'at-most') return share <= percent ? 'met' : 'not-met';
  return 'info';
}

export const COMPARISON_TEXT: Record<Comparison, string> = { 'at-least': '≥', 'at-most': '≤', about: '≈' };

export const shareOf = (shares: Shares, pathway: Pathway) => shares[pathway];

/** Anchors on the definitions page; every figure on the dashboard links to one. */
export const DEFINITION = {
  share: (p: Pathway) => `/definitions#share-p${p}`,
  homeFirst: '/definitions#home-first',
  bedded: '/definitions#bedded-pathways',
  basis: '/definitions#basis',
  total: '/definitions#discharges',
  targets: '/definitions#targets',
  suppression: '/definitions#suppression',
};
