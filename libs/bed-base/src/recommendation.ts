import type { Bed } from './bed';
import type { BedRequest } from './bed-request';
import type {
  BaySex,
  BedCapability,
  BedCategory,
  BedClosureReason,
  BedNeeds,
  BedPathway,
  Funding,
  SexForBayAllocation,
  SiteClosureReason,
} from './codes';
import { refuse } from './codes';
import type { Site } from './site';

/** What the person needs from a bed. */
export interface BedNeed extends Omit<BedNeeds, 'infectionIsolation'> {
  pathway: BedPathway;
  bedCategory: BedCategory;
  /** The person's locality (area code). */
  area: string;
  infectionIsolation?: boolean;
}

/** A bed as the recommendation reads it: plain data, from the Bed decider's state or a read model. */
export interface CandidateBed {
  bedId: string;
  siteId: string;
  label: string;
  pathway: BedPathway;
  category: BedCategory;
  capabilities: readonly BedCapability[];
  baySex: BaySex;
  funding: Funding;
  tier: number;
  escalation: boolean;
  escalationOpen: boolean;
  decommissioned: boolean;
  closure: BedClosureReason | null;
  reserved: boolean;
  occupied: boolean;
}

export interface CandidateSite {
  siteId: string;
  name: string;
  locality: string;
  closedToAdmissions: SiteClosureReason | null;
}

/** The look-ups the wording and the locality rule need; ReferenceData satisfies it. */
export interface RecommendationReference {
  areAdjacent(a: string, b: string): boolean;
  area(code: string): { name: string } | undefined;
}

export interface RankedBed {
  bedId: string;
  rank: number;
  reasons: string[];
}

export interface ExcludedBed {
  bedId: string;
  reasons: string[];
}

export interface Recommendation {
  ranked: RankedBed[];
  excluded: ExcludedBed[];
  noBedFits: boolean;
  summary: string;
}

// ─── Words ──────────────────────────────────────────────────────────────────────────────────────────────

const CATEGORY_WORDS: Record<BedCategory, string> = {
  rehab: 'rehab',
  reablement: 'reablement',
  'end-of-life': 'end-of-life',
  opmh: 'OPMH',
  'step-down': 'step-down',
  interim: 'interim',
  nursing: 'nursing',
  residential: 'residential',
};

const FUNDING_WORDS: Record<Funding, string> = { block: 'contracted', spot: 'spot-purchased', 'nhs-community': 'NHS community' };

const CAPABILITY_WORDS: Record<BedCapability, string> = {
  bariatric: 'bariatric',
  dementia: 'dementia care',
  hoist: 'hoist',
  'side-room': 'side room',
  oxygen: 'oxygen',
};

const listed = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

// ─── Hard filters ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The categories that may serve a requested one. End-of-life and OPMH beds are kept for those needs:
 * they serve general rehab only when the person's needs say so.
 */
const SERVES: Record<BedCategory, readonly BedCategory[]> = {
  rehab: ['rehab', 'reablement'],
  reablement: ['reablement', 'rehab'],
  'step-down': ['step-down', 'rehab', 'reablement', 'interim'],
  interim: ['interim', 'step-down'],
  'end-of-life': ['end-of-life'],
  opmh: ['opmh'],
  nursing: ['nursing'],
  residential: ['residential', 'nursing'],
};

const suitableCategories = (need: BedNeed): readonly BedCategory[] => {
  const categories = [...SERVES[need.bedCategory]];
  if (need.pathway === 2 && need.endOfLife && !categories.includes('end-of-life')) categories.push('end-of-life');
  if (need.pathway === 2 && need.opmh && !categories.includes('opmh')) categories.push('opmh');
  return categories;
};

const isSideRoom = (bed: CandidateBed) => bed.baySex === 'single-room';

const baySexFits = (bay: BaySex, sex: SexForBayAllocation) => bay === 'single-room' || sex === 'no-requirement' || bay === sex;

const exclusions = (need: BedNeed, bed: CandidateBed, site: CandidateSite | undefined): string[] => {
  const reasons: string[] = [];
  const no = (why: string) => reasons.push(`Excluded: ${why}`);
  if (bed.decommissioned) no('bed decommissioned');
  if (!site) no('site not registered');
  else if (site.closedToAdmissions) no(`site closed to admissions (${site.closedToAdmissions})`);
  if (bed.closure) no(`bed closed (${bed.closure})`);
  if (bed.escalation && !bed.escalationOpen) no('winter escalation bed stood down');
  if (bed.occupied) no('occupied');
  if (bed.reserved) no('already reserved');
  if (bed.pathway !== need.pathway) {
    no(`a pathway ${bed.pathway} bed; this person is on pathway ${need.pathway}`);
  } else if (!suitableCategories(need).includes(bed.category)) {
    if (bed.category === 'end-of-life') no('end-of-life bed, kept for end-of-life care');
    else if (bed.category === 'opmh') no("OPMH bed, kept for older people's mental health needs");
    else no(`${CATEGORY_WORDS[bed.category]} bed; this person needs ${CATEGORY_WORDS[need.bedCategory]}`);
  }
  const missing = need.capabilities.filter((capability) => !bed.capabilities.includes(capability));
  if (missing.length > 0) no(`no ${listed(missing.map((c) => CAPABILITY_WORDS[c]))}`);
  if (!baySexFits(bed.baySex, need.sexForBayAllocation)) no(`bay is ${bed.baySex}-only`);
  if (need.infectionIsolation && !isSideRoom(bed)) no('needs a side room to isolate an infection; this is a bay bed');
  return reasons;
};

// ─── Ranking ────────────────────────────────────────────────────────────────────────────────────────────

const localityOf = (need: BedNeed, site: CandidateSite, reference: RecommendationReference) => {
  const name = (code: string) => reference.area(code)?.name ?? code;
  if (site.locality === need.area) return { order: 0, words: `in the same locality (${name(site.locality)})` };
  if (reference.areAdjacent(need.area, site.locality)) {
    return { order: 1, words: `in a neighbouring locality (${name(site.locality)})` };
  }
  return { order: 2, words: `further away (${name(site.locality)}, not next to ${name(need.area)})` };
};

/**
 * Hard filters first; then the hierarchy-of-use tier, same locality before adjacent ones, and the fewest
 * capabilities the person does not need, so that scarce beds (bariatric, side rooms) stay free for those
 * who do. Every bed gets its reasons in words.
 */
export const recommendBeds = (
  need: BedNeed,
  beds: readonly CandidateBed[],
  sites: readonly CandidateSite[],
  reference: RecommendationReference,
): Recommendation => {
  const sitesById = new Map(sites.map((site) => [site.siteId, site]));
  const excluded: ExcludedBed[] = [];
  const fitting: Array<{ bed: CandidateBed; site: CandidateSite; keys: number[]; reasons: string[] }> = [];

  for (const bed of beds) {
    const site = sitesById.get(bed.siteId);
    const reasons = exclusions(need, bed, site);
    if (reasons.length > 0 || !site) {
      excluded.push({ bedId: bed.bedId, reasons });
      continue;
    }
    const locality = localityOf(need, site, reference);
    const surplus = bed.capabilities.filter((capability) => !need.capabilities.includes(capability));
    const exactCategory = bed.category === need.bedCategory;
    const reasons_ = [
      `Tier ${bed.tier} ${FUNDING_WORDS[bed.funding]} ${CATEGORY_WORDS[bed.category]} bed ${locality.words}`,
      `${bed.label} at ${site.name}`,
      surplus.length === 0
        ? 'Has nothing this person does not need'
        : `Also has ${listed(surplus.map((c) => CAPABILITY_WORDS[c]))}, not needed here: kept for those who need ${surplus.length === 1 ? 'it' : 'them'}`,
    ];
    if (!exactCategory) {
      reasons_.push(`A ${CATEGORY_WORDS[bed.category]} bed serving a ${CATEGORY_WORDS[need.bedCategory]} need`);
    }
    fitting.push({ bed, site, keys: [bed.tier, locality.order, surplus.length, exactCategory ? 0 : 1], reasons: reasons_ });
  }

  fitting.sort((a, b) => {
    for (let i = 0; i < a.keys.length; i++) if (a.keys[i] !== b.keys[i]) return a.keys[i] - b.keys[i];
    return a.bed.bedId < b.bed.bedId ? -1 : a.bed.bedId > b.bed.bedId ? 1 : 0;
  });
  const ranked = fitting.map(({ bed, reasons }, i) => ({ bedId: bed.bedId, rank: i + 1, reasons }));
  return { ranked, excluded, noBedFits: ranked.length === 0, summary: summarise(need, ranked, excluded) };
};

const summarise = (need: BedNeed, ranked: RankedBed[], excluded: ExcludedBed[]): string => {
  const what = `pathway ${need.pathway} ${CATEGORY_WORDS[need.bedCategory]}`;
  if (ranked.length > 0) {
    const best = ranked[0].reasons[0];
    return `${ranked.length} ${ranked.length === 1 ? 'bed fits' : 'beds fit'} a ${what} need. Best: ${best}. ${excluded.length} excluded.`;
  }
  if (excluded.length === 0) return `No bed fits a ${what} need: there are no beds in the bed base.`;
  const tally = new Map<string, number>();
  for (const { reasons } of excluded) {
    for (const reason of reasons)
      tally.set(reason.replace(/^Excluded: /, ''), (tally.get(reason.replace(/^Excluded: /, '')) ?? 0) + 1);
  }
  const top = [...tally.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, count]) => `${reason} (${count})`);
  return `No bed fits a ${what} need. ${excluded.length} ${excluded.length === 1 ? 'bed was' : 'beds were'} excluded: ${top.join('; ')}.`;
};

// ─── From the deciders' states ──────────────────────────────────────────────────────────────────────────

export const candidateBedOf = (bed: Exclude<Bed, { status: 'none' }>): CandidateBed => ({
  bedId: bed.bedId,
  siteId: bed.siteId,
  label: bed.label,
  pathway: bed.pathway,
  category: bed.category,
  capabilities: bed.capabilities,
  baySex: bed.baySex,
  funding: bed.funding,
  tier: bed.tier,
  escalation: bed.escalation,
  escalationOpen: bed.escalationOpen,
  decommissioned: bed.status === 'decommissioned',
  closure: bed.closure?.reason ?? null,
  reserved: bed.holder !== null,
  occupied: bed.occupant !== null,
});

export const candidateSiteOf = (site: Exclude<Site, { status: 'none' }>): CandidateSite => ({
  siteId: site.siteId,
  name: site.name,
  locality: site.locality,
  closedToAdmissions: site.closedToAdmissions?.reason ?? null,
});

export const needOf = (request: Exclude<BedRequest, { status: 'none' }>): BedNeed => ({
  pathway: request.pathway,
  bedCategory: request.bedCategory,
  area: request.area,
  capabilities: request.needs.capabilities,
  sexForBayAllocation: request.needs.sexForBayAllocation,
  infectionIsolation: request.needs.infectionIsolation,
  endOfLife: request.needs.endOfLife,
  opmh: request.needs.opmh,
});

/** For the reservation handler: refuses a bed the recommendation would exclude, with its reasons. */
export const assertBedFitsNeed = (need: BedNeed, bed: CandidateBed, site: CandidateSite | undefined): void => {
  const reasons = exclusions(need, bed, site);
  if (reasons.length > 0) {
    throw refuse('BED_DOES_NOT_FIT', reasons.join('; '), 'unprocessable', { bedId: bed.bedId, reasons });
  }
};
