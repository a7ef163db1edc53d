import type { CommandMetadata } from '@app/event-sourcing';
import type { CommissionBed } from './bed';
import type { BaySex, BedCapability, BedCategory, BedPathway, Funding, SiteKind } from './codes';
import type { RegisterSite } from './site';

/**
 * An illustrative Somerset-shaped bed base: the shape (community hospitals, contracted P2 rehab in
 * independent care homes, spot-purchased interim P3 beds, hospice end-of-life beds, 12 OPMH+ beds over
 * two sites, winter escalation beds) across the four localities, in the hierarchy of use. Bed numbers and
 * care-home names are invented; every ODS code is illustrative (ZZ…) and must not be read as real.
 */

interface BedGroup {
  count: number;
  pathway: BedPathway;
  category: BedCategory;
  funding: Funding;
  tier: number;
  baySex: BaySex;
  capabilities?: readonly BedCapability[];
  escalation?: boolean;
}

export interface SeedSite {
  siteId: string;
  name: string;
  kind: SiteKind;
  locality: string;
  odsCode: string;
  odsCodeIllustrative: true;
  beds: readonly BedGroup[];
}

// Tiers as in the reference data's hierarchy of use.
const CONTRACTED = 1;
const COMMUNITY_HOSPITAL = 2;
const SPOT_INTERIM = 3;
const WINTER = 4;

const communityHospital = (
  siteId: string,
  name: string,
  locality: string,
  odsCode: string,
  rehabBeds: number,
  escalationBeds = 0,
): SeedSite => {
  const half = Math.floor((rehabBeds - 2) / 2);
  const nhs = { pathway: 2, funding: 'nhs-community', tier: COMMUNITY_HOSPITAL } as const;
  return {
    siteId,
    name,
    kind: 'community-hospital',
    locality,
    odsCode,
    odsCodeIllustrative: true,
    beds: [
      { ...nhs, count: half, category: 'rehab', baySex: 'female', capabilities: ['hoist'] },
      { ...nhs, count: rehabBeds - 2 - half, category: 'rehab', baySex: 'male', capabilities: ['hoist'] },
      { ...nhs, count: 1, category: 'rehab', baySex: 'single-room', capabilities: ['side-room', 'hoist', 'oxygen'] },
      { ...nhs, count: 1, category: 'step-down', baySex: 'single-room', capabilities: ['side-room', 'bariatric', 'hoist'] },
      ...(escalationBeds > 0
        ? [
            {
              count: escalationBeds,
              pathway: 2,
              category: 'rehab',
              funding: 'nhs-community',
              tier: WINTER,
              baySex: 'female',
              escalation: true,
            } as const,
          ]
        : []),
    ],
  };
};

const contractedRehab = (
  siteId: string,
  name: string,
  locality: string,
  odsCode: string,
  kind: SiteKind = 'care-home',
): SeedSite => ({
  siteId,
  name,
  kind,
  locality,
  odsCode,
  odsCodeIllustrative: true,
  beds: [
    {
      count: 3,
      pathway: 2,
      category: 'rehab',
      funding: 'block',
      tier: CONTRACTED,
      baySex: 'single-room',
      capabilities: ['side-room'],
    },
    {
      count: 1,
      pathway: 2,
      category: 'reablement',
      funding: 'block',
      tier: CONTRACTED,
      baySex: 'single-room',
      capabilities: ['side-room', 'dementia'],
    },
  ],
});

const interimP3 = (siteId: string, name: string, locality: string, odsCode: string): SeedSite => ({
  siteId,
  name,
  kind: 'care-home',
  locality,
  odsCode,
  odsCodeIllustrative: true,
  beds: [
    {
      count: 2,
      pathway: 3,
      category: 'nursing',
      funding: 'spot',
      tier: SPOT_INTERIM,
      baySex: 'single-room',
      capabilities: ['side-room', 'hoist'],
    },
    {
      count: 2,
      pathway: 3,
      category: 'residential',
      funding: 'spot',
      tier: SPOT_INTERIM,
      baySex: 'single-room',
      capabilities: ['side-room', 'dementia'],
    },
  ],
});

const hospice = (siteId: string, name: string, locality: string, odsCode: string): SeedSite => ({
  siteId,
  name,
  kind: 'hospice',
  locality,
  odsCode,
  odsCodeIllustrative: true,
  beds: [
    {
      count: 5,
      pathway: 2,
      category: 'end-of-life',
      funding: 'block',
      tier: CONTRACTED,
      baySex: 'single-room',
      capabilities: ['side-room', 'hoist', 'oxygen'],
    },
  ],
});

const opmhPlus = (siteId: string, name: string, locality: string, odsCode: string): SeedSite => ({
  siteId,
  name,
  kind: 'care-home',
  locality,
  odsCode,
  odsCodeIllustrative: true,
  beds: [
    {
      count: 6,
      pathway: 2,
      category: 'opmh',
      funding: 'block',
      tier: CONTRACTED,
      baySex: 'single-room',
      capabilities: ['side-room', 'dementia'],
    },
  ],
});

export const somersetBedBase = {
  name: 'Somerset-shaped illustrative bed base',
  illustrative: true,
  note: 'Invented for demonstration: site ODS codes (ZZ…) are illustrative, bed numbers and care-home names are made up.',
  sites: [
    // Mendip
    communityHospital('FROME-CH', 'Frome Community Hospital', 'MENDIP', 'ZZB01', 12, 2),
    communityHospital('SHEPTON-CH', 'Shepton Mallet Community Hospital', 'MENDIP', 'ZZB02', 10),
    contractedRehab('MENDIP-VALE', 'Mendip Vale Care Home (contracted P2 rehab)', 'MENDIP', 'ZZB03'),
    interimP3('WELLS-INTERIM', 'Wells Court Care Home (interim beds)', 'MENDIP', 'ZZB04'),
    // Sedgemoor
    communityHospital('BRIDGWATER-CH', 'Bridgwater Community Hospital', 'SEDGEMOOR', 'ZZB05', 14, 2),
    communityHospital('BURNHAM-CH', 'Burnham-on-Sea War Memorial Hospital', 'SEDGEMOOR', 'ZZB06', 8),
    contractedRehab('QUANTOCK-VIEW', 'Quantock View Rehabilitation Unit', 'SEDGEMOOR', 'ZZB07', 'rehab-unit'),
    opmhPlus('PARRETT-LODGE', 'Parrett Lodge (OPMH+ beds)', 'SEDGEMOOR', 'ZZB08'),
    interimP3('KING-ALFRED-INTERIM', 'King Alfred House (interim beds)', 'SEDGEMOOR', 'ZZB09'),
    // South Somerset
    communityHospital('SOUTH-PETHERTON-CH', 'South Petherton Community Hospital', 'SOUTH_SOMERSET', 'ZZB10', 12, 2),
    communityHospital('WINCANTON-CH', 'Wincanton Community Hospital', 'SOUTH_SOMERSET', 'ZZB11', 8),
    contractedRehab('YEO-VALLEY', 'Yeo Valley Care Home (contracted P2 rehab)', 'SOUTH_SOMERSET', 'ZZB12'),
    opmhPlus('CHARD-OPMH', 'Chard Meadows (OPMH+ beds)', 'SOUTH_SOMERSET', 'ZZB13'),
    hospice('HOSPICE-YEOVIL', 'Hospice in-patient unit, Yeovil', 'SOUTH_SOMERSET', 'ZZB14'),
    interimP3('HAM-HILL-INTERIM', 'Ham Hill Nursing Home (interim beds)', 'SOUTH_SOMERSET', 'ZZB15'),
    // Somerset West and Taunton
    communityHospital('DENE-BARTON-CH', 'Dene Barton Community Hospital', 'SOMERSET_WEST_AND_TAUNTON', 'ZZB16', 12, 2),
    communityHospital('MINEHEAD-CH', 'Minehead Community Hospital', 'SOMERSET_WEST_AND_TAUNTON', 'ZZB17', 10),
    communityHospital('WILLITON-CH', 'Williton Community Hospital', 'SOMERSET_WEST_AND_TAUNTON', 'ZZB18', 8),
    contractedRehab('TONE-VALE', 'Tone Vale Care Home (contracted P2 rehab)', 'SOMERSET_WEST_AND_TAUNTON', 'ZZB19'),
    hospice('HOSPICE-TAUNTON', 'Hospice in-patient unit, Taunton', 'SOMERSET_WEST_AND_TAUNTON', 'ZZB20'),
    interimP3('QUANTOCK-INTERIM', 'Quantock Hills Nursing Home (interim beds)', 'SOMERSET_WEST_AND_TAUNTON', 'ZZB21'),
  ] satisfies SeedSite[],
} as const;

export type SeedBed = CommissionBed['data'] & { label: string };

/** Each site's beds, numbered within the site: `FROME-CH-01`, `FROME-CH-02`, … */
export const seedBeds = (sites: readonly SeedSite[] = somersetBedBase.sites): SeedBed[] =>
  sites.flatMap((site) => {
    let n = 0;
    return site.beds.flatMap((group) =>
      Array.from({ length: group.count }, () => {
        n += 1;
        const number = String(n).padStart(2, '0');
        return {
          bedId: `${site.siteId}-${number}`,
          siteId: site.siteId,
          label: `${site.name}, bed ${number}${group.escalation ? ' (winter escalation)' : ''}`,
          pathway: group.pathway,
          category: group.category,
          capabilities: [...(group.capabilities ?? [])],
          baySex: group.baySex,
          funding: group.funding,
          tier: group.tier,
          escalation: group.escalation ?? false,
        };
      }),
    );
  });

/**
 * The commands that load the illustrative bed base into an empty store: every site, then every bed.
 * Command ids derive from `metadata.commandId`, so a repeated load writes the same event ids.
 */
export const seedCommands = (
  metadata: CommandMetadata,
  sites: readonly SeedSite[] = somersetBedBase.sites,
): Array<RegisterSite | CommissionBed> => [
  ...sites.map((site): RegisterSite => ({
    type: 'RegisterSite',
    data: {
      siteId: site.siteId,
      name: site.name,
      kind: site.kind,
      locality: site.locality,
      odsCode: site.odsCode,
      odsCodeIllustrative: site.odsCodeIllustrative,
    },
    metadata: { ...metadata, commandId: `${metadata.commandId}:site:${site.siteId}` },
  })),
  ...seedBeds(sites).map((bed): CommissionBed => ({
    type: 'CommissionBed',
    data: bed,
    metadata: { ...metadata, commandId: `${metadata.commandId}:bed:${bed.bedId}` },
  })),
];
