import { evolveBed, initialBed, type BedEvent, type CommissionedBed } from './bed';
import {
  assertBedFitsNeed,
  candidateBedOf,
  candidateSiteOf,
  recommendBeds,
  type BedNeed,
  type CandidateBed,
  type CandidateSite,
} from './recommendation';
import { evolveSite, initialSite, type SiteEvent } from './site';
import {
  bedClosed,
  bedCommissioned,
  bedReserved,
  illustrativeReferenceData,
  siteClosedToAdmissions,
  siteRegistered,
} from './testing/builders';

const reference = illustrativeReferenceData;

const need = (overrides: Partial<BedNeed> = {}): BedNeed => ({
  pathway: 2,
  bedCategory: 'rehab',
  area: 'MENDIP',
  capabilities: [],
  sexForBayAllocation: 'no-requirement',
  infectionIsolation: false,
  endOfLife: false,
  opmh: false,
  ...overrides,
});

const site = (siteId: string, locality: string, overrides: Partial<CandidateSite> = {}): CandidateSite => ({
  siteId,
  name: siteId,
  locality,
  closedToAdmissions: null,
  ...overrides,
});

const sites = [
  site('MENDIP-HOME', 'MENDIP', { name: 'Mendip Vale Care Home' }),
  site('FROME', 'MENDIP', { name: 'Frome Community Hospital' }),
  site('BRIDGWATER', 'SEDGEMOOR', { name: 'Bridgwater Community Hospital' }),
  site('MINEHEAD', 'SOMERSET_WEST_AND_TAUNTON', { name: 'Minehead Community Hospital' }),
  site('OUTBREAK', 'MENDIP', { name: 'Shepton Mallet Community Hospital', closedToAdmissions: 'outbreak' }),
];

const bed = (bedId: string, overrides: Partial<CandidateBed> = {}): CandidateBed => ({
  bedId,
  siteId: 'FROME',
  label: bedId,
  pathway: 2,
  category: 'rehab',
  capabilities: [],
  baySex: 'female',
  funding: 'nhs-community',
  tier: 2,
  escalation: false,
  escalationOpen: false,
  decommissioned: false,
  closure: null,
  reserved: false,
  occupied: false,
  ...overrides,
});

const recommend = (n: BedNeed, beds: CandidateBed[]) => recommendBeds(n, beds, sites, reference);
const order = (n: BedNeed, beds: CandidateBed[]) => recommend(n, beds).ranked.map((r) => r.bedId);
const exclusionOf = (n: BedNeed, b: CandidateBed) => recommend(n, [b]).excluded[0]?.reasons ?? [];

describe('recommendBeds', () => {
  describe('hard filters: each excludes the bed, with the reason in words', () => {
    it.each<[string, Partial<BedNeed>, Partial<CandidateBed>, string]>([
      ['site closed to admissions', {}, { siteId: 'OUTBREAK' }, 'Excluded: site closed to admissions (outbreak)'],
      ['site not registered', {}, { siteId: 'NOWHERE' }, 'Excluded: site not registered'],
      ['bed closed', {}, { closure: 'infection' }, 'Excluded: bed closed (infection)'],
      ['bed decommissioned', {}, { decommissioned: true }, 'Excluded: bed decommissioned'],
      ['escalation bed stood down', {}, { escalation: true, tier: 4 }, 'Excluded: winter escalation bed stood down'],
      ['reserved', {}, { reserved: true }, 'Excluded: already reserved'],
      ['occupied', {}, { occupied: true }, 'Excluded: occupied'],
      ['wrong pathway', {}, { pathway: 3, category: 'nursing' }, 'Excluded: a pathway 3 bed; this person is on pathway 2'],
      [
        'end-of-life bed for general rehab',
        {},
        { category: 'end-of-life' },
        'Excluded: end-of-life bed, kept for end-of-life care',
      ],
      ['OPMH bed for general rehab', {}, { category: 'opmh' }, "Excluded: OPMH bed, kept for older people's mental health needs"],
      ['interim bed for rehab', {}, { category: 'interim' }, 'Excluded: interim bed; this person needs rehab'],
      [
        'a residential bed for nursing needs',
        { pathway: 3, bedCategory: 'nursing' },
        { pathway: 3, category: 'residential' },
        'Excluded: residential bed; this person needs nursing',
      ],
      ['missing hoist', { capabilities: ['hoist'] }, {}, 'Excluded: no hoist'],
      [
        'missing several capabilities',
        { capabilities: ['bariatric', 'dementia', 'side-room'] },
        {},
        'Excluded: no bariatric, dementia care and side room',
      ],
      ['female-only bay for a man', { sexForBayAllocation: 'male' }, { baySex: 'female' }, 'Excluded: bay is female-only'],
      ['male-only bay for a woman', { sexForBayAllocation: 'female' }, { baySex: 'male' }, 'Excluded: bay is male-only'],
      [
        'a bay bed for someone who must be isolated',
        { infectionIsolation: true },
        {},
        'Excluded: needs a side room to isolate an infection; this is a bay bed',
      ],
    ])('%s', (_what, needOverrides, bedOverrides, reason) => {
      const result = recommend(need(needOverrides), [bed('B1', bedOverrides)]);
      expect(result.ranked).toEqual([]);
      expect(result.excluded).toEqual([{ bedId: 'B1', reasons: expect.arrayContaining([reason]) }]);
    });

    it.each<[string, Partial<BedNeed>, Partial<CandidateBed>]>([
      ['an end-of-life bed when the need says end of life', { endOfLife: true }, { category: 'end-of-life' }],
      ['an OPMH bed when the need says OPMH', { opmh: true }, { category: 'opmh' }],
      ['an OPMH bed for an OPMH request', { bedCategory: 'opmh' }, { category: 'opmh' }],
      ['a reablement bed for rehab', {}, { category: 'reablement' }],
      ['a nursing bed for residential needs', { pathway: 3, bedCategory: 'residential' }, { pathway: 3, category: 'nursing' }],
      ['a side room for a man', { sexForBayAllocation: 'male' }, { baySex: 'single-room', capabilities: ['side-room'] }],
      ['a side room for isolation', { infectionIsolation: true }, { baySex: 'single-room', capabilities: ['side-room'] }],
      ['an opened escalation bed', {}, { escalation: true, escalationOpen: true, tier: 4 }],
      ['any bay when sex does not constrain the bay', { sexForBayAllocation: 'no-requirement' }, { baySex: 'male' }],
    ])('lets through %s', (_what, needOverrides, bedOverrides) => {
      expect(exclusionOf(need(needOverrides), bed('B1', bedOverrides))).toEqual([]);
    });

    it('lists every reason a bed fails, not just the first', () =>
      expect(
        exclusionOf(need({ capabilities: ['hoist'], sexForBayAllocation: 'male' }), bed('B1', { closure: 'staffing' })),
      ).toEqual(['Excluded: bed closed (staffing)', 'Excluded: no hoist', 'Excluded: bay is female-only']));
  });

  describe('ranking: tier, then locality, then fewest surplus capabilities', () => {
    it.each<[string, BedNeed, CandidateBed[], string[]]>([
      [
        'tier first, even over locality',
        need(),
        [bed('CH-MENDIP', { tier: 2 }), bed('CONTRACTED-SEDGEMOOR', { tier: 1, siteId: 'BRIDGWATER', funding: 'block' })],
        ['CONTRACTED-SEDGEMOOR', 'CH-MENDIP'],
      ],
      [
        'within a tier, the same locality before an adjacent one, before one further away',
        need(),
        [bed('FAR', { siteId: 'MINEHEAD' }), bed('ADJACENT', { siteId: 'BRIDGWATER' }), bed('SAME', { siteId: 'FROME' })],
        ['SAME', 'ADJACENT', 'FAR'],
      ],
      [
        'the scarce-capability rule: a plain bed before a bariatric side room for someone who needs neither',
        need(),
        [bed('BARIATRIC-SIDE-ROOM', { baySex: 'single-room', capabilities: ['side-room', 'bariatric'] }), bed('PLAIN')],
        ['PLAIN', 'BARIATRIC-SIDE-ROOM'],
      ],
      [
        'fewer surplus capabilities first',
        need({ capabilities: ['hoist'] }),
        [
          bed('THREE', { capabilities: ['hoist', 'bariatric', 'oxygen'] }),
          bed('ONE', { capabilities: ['hoist', 'oxygen'] }),
          bed('NONE', { capabilities: ['hoist'] }),
        ],
        ['NONE', 'ONE', 'THREE'],
      ],
      [
        'a capability the person needs is not surplus',
        need({ capabilities: ['bariatric', 'side-room'] }),
        [bed('SIDE', { baySex: 'single-room', capabilities: ['side-room', 'bariatric'] })],
        ['SIDE'],
      ],
      [
        'the exact category before one that also serves, all else equal',
        need(),
        [bed('REABLEMENT', { category: 'reablement' }), bed('REHAB')],
        ['REHAB', 'REABLEMENT'],
      ],
      [
        'winter escalation beds (tier 4) last',
        need(),
        [
          bed('ESCALATION', { escalation: true, escalationOpen: true, tier: 4 }),
          bed('SPOT', { tier: 3, funding: 'spot', siteId: 'MINEHEAD' }),
        ],
        ['SPOT', 'ESCALATION'],
      ],
    ])('%s', (_what, n, beds, expected) => expect(order(n, beds)).toEqual(expected));

    it('explains the rank in words a coordinator reads', () => {
      const result = recommend(need(), [
        bed('B1', { siteId: 'MENDIP-HOME', funding: 'block', tier: 1, label: 'Room 3' }),
        bed('B2', { siteId: 'BRIDGWATER', baySex: 'single-room', capabilities: ['side-room', 'bariatric'] }),
      ]);
      expect(result.ranked).toEqual([
        {
          bedId: 'B1',
          rank: 1,
          reasons: [
            'Tier 1 contracted rehab bed in the same locality (Mendip)',
            'Room 3 at Mendip Vale Care Home',
            'Has nothing this person does not need',
          ],
        },
        {
          bedId: 'B2',
          rank: 2,
          reasons: [
            'Tier 2 NHS community rehab bed in a neighbouring locality (Sedgemoor)',
            'B2 at Bridgwater Community Hospital',
            'Also has side room and bariatric, not needed here: kept for those who need them',
          ],
        },
      ]);
      expect(result.noBedFits).toBe(false);
      expect(result.summary).toBe(
        '2 beds fit a pathway 2 rehab need. Best: Tier 1 contracted rehab bed in the same locality (Mendip). 0 excluded.',
      );
    });

    it('says when a bed is further away and not adjacent', () =>
      expect(recommend(need(), [bed('B1', { siteId: 'MINEHEAD' })]).ranked[0].reasons[0]).toBe(
        'Tier 2 NHS community rehab bed further away (Somerset West and Taunton, not next to Mendip)',
      ));
  });

  describe('no bed fits', () => {
    it('is a real answer, with the reasons tallied', () => {
      const result = recommend(need({ sexForBayAllocation: 'male', capabilities: ['hoist'] }), [
        bed('B1', { siteId: 'OUTBREAK', baySex: 'male', capabilities: ['hoist'] }),
        bed('B2', { reserved: true, baySex: 'male', capabilities: ['hoist'] }),
        bed('B3', { capabilities: ['hoist'] }),
      ]);
      expect(result.ranked).toEqual([]);
      expect(result.noBedFits).toBe(true);
      expect(result.excluded.map((e) => e.bedId)).toEqual(['B1', 'B2', 'B3']);
      expect(result.summary).toBe(
        'No bed fits a pathway 2 rehab need. 3 beds were excluded: already reserved (1); bay is female-only (1); site closed to admissions (outbreak) (1).',
      );
    });

    it('says so for an empty bed base', () =>
      expect(recommend(need(), [])).toEqual({
        ranked: [],
        excluded: [],
        noBedFits: true,
        summary: 'No bed fits a pathway 2 rehab need: there are no beds in the bed base.',
      }));
  });

  describe('from the deciders’ states', () => {
    const foldBed = (...events: BedEvent[]) => events.reduce(evolveBed, initialBed()) as CommissionedBed;
    const foldSite = (...events: SiteEvent[]) => events.reduce(evolveSite, initialSite());

    it('a site closure leaves its beds commissioned (counted) but unavailable', () => {
      const frome = foldSite(siteRegistered(), siteClosedToAdmissions());
      if (frome.status === 'none') throw new Error('no site');
      const state = foldBed(bedCommissioned());
      expect(state.status).toBe('in-service');
      const result = recommendBeds(need(), [candidateBedOf(state)], [candidateSiteOf(frome)], reference);
      expect(result.excluded).toEqual([{ bedId: 'FROME-CH-01', reasons: ['Excluded: site closed to admissions (outbreak)'] }]);
    });

    it('reads closures and reservations from the bed', () => {
      expect(candidateBedOf(foldBed(bedCommissioned(), bedClosed()))).toMatchObject({ closure: 'infection', reserved: false });
      expect(candidateBedOf(foldBed(bedCommissioned(), bedReserved()))).toMatchObject({ closure: null, reserved: true });
    });

    it('assertBedFitsNeed refuses an unsuitable bed with the same reasons', () => {
      expect(() => assertBedFitsNeed(need({ sexForBayAllocation: 'male' }), bed('B1'), sites[1])).toThrow(
        expect.objectContaining({
          code: 'BED_DOES_NOT_FIT',
          details: { bedId: 'B1', reasons: ['Excluded: bay is female-only'] },
        }),
      );
      expect(() => assertBedFitsNeed(need(), bed('B1'), sites[1])).not.toThrow();
    });
  });
});
