import type { Cell, Comparison, Counts, Pathway, ShareCell, Shares } from '../../api/types';

export const SUPPRESSED = 'suppressed' as const;

/**
 * Percent to one decimal place, or null when nothing was discharged. When any count is suppressed the share
 * is too: a share is never derived from a hidden count.
 */
export function combinedShare(counts: Counts, pathways: readonly Pathway[]): ShareCell {
  if (counts.some((c) => c === SUPPRESSED)) return SUPPRESSED;
  const n = counts as number[];
  const total = n[0] + n[1] + n[2] + n[3];
  if (total === 0) return null;
  const part = pathways.reduce<number>((sum, p) => sum + n[p], 0);
  return Math.round((part / total) * 1000) / 10;
}

/** A share to one decimal place; "—" with nothing to divide; "suppressed" when its count or total is hidden. */
export const formatShare = (share: ShareCell) =>
  share === null ? '—' : share === SUPPRESSED ? 'suppressed' : `${share.toFixed(1)}%`;

/**
 * Leader views suppress small counts (DESIGN §4): 0 < c < threshold shows as "<threshold", whether the API
 * already hid it ("suppressed") or not (the hub's own view of the same screen).
 */
export const formatCount = (count: Cell, threshold: number) =>
  count === SUPPRESSED || (count > 0 && count < threshold) ? `<${threshold}` : String(count);

export type Verdict = 'met' | 'not-met' | 'no-data' | 'info' | 'suppressed';

export function verdict(share: ShareCell, percent: number, comparison: Comparison): Verdict {
  if (share === SUPPRESSED) return 'suppressed';
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
