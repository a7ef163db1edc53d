import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultReferenceDataFile,
  loadReferenceData,
  packageRoot,
  REFERENCE_DATA_FILE_VARIABLE,
  referenceDataFrom,
} from './load-reference-data';
import { InvalidReferenceData } from './validate-reference-data';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits arbitrary corners of the file
type RawFile = any;
const shippedFile = (): RawFile => JSON.parse(readFileSync(defaultReferenceDataFile(), 'utf8'));

/** Given the shipped file with one change, the loader reports exactly these problems. */
function problemsAfter(change: (file: RawFile) => void): readonly string[] {
  const file = shippedFile();
  change(file);
  try {
    referenceDataFrom(file);
  } catch (error) {
    if (error instanceof InvalidReferenceData) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('the shipped illustrative Somerset file', () => {
  const data = loadReferenceData();

  it('loads, says it is illustrative, and is found from the package root', () => {
    expect(data.contents.illustrative).toBe(true);
    expect(data.file).toBe(join(packageRoot(), 'libs/reference-data/data/somerset-illustrative.json'));
    expect(data.areas.map((a) => a.code)).toEqual(['MENDIP', 'SEDGEMOOR', 'SOUTH_SOMERSET', 'SOMERSET_WEST_AND_TAUNTON']);
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(data)).toBe(true);
    expect(Object.isFrozen(data.contents.areas[0].adjacentTo)).toBe(true);
    expect(
      () => (data.contents.leaderViews as { smallCountSuppressionThreshold: number }).smallCountSuppressionThreshold++,
    ).toThrow(TypeError);
  });

  it('has symmetric locality adjacency', () => {
    for (const area of data.areas)
      for (const neighbour of area.adjacentTo) expect(data.areAdjacent(neighbour, area.code)).toBe(true);
    expect(data.areAdjacent('MENDIP', 'SEDGEMOOR')).toBe(true);
    expect(data.areAdjacent('MENDIP', 'SOMERSET_WEST_AND_TAUNTON')).toBe(false);
  });

  it('finds hospitals and wards by code', () => {
    expect(data.hospital('RH5A8')).toMatchObject({
      name: 'Musgrove Park Hospital',
      trustOdsCode: 'RH5',
      area: 'SOMERSET_WEST_AND_TAUNTON',
    });
    expect(data.ward('RA430-W7')?.hospital.name).toBe('Yeovil District Hospital');
    expect(data.ward('NOPE')).toBeUndefined();
  });

  it('offers the 2024-25 delay reasons, covering every DESIGN §7 family', () => {
    const current = data.currentDelayReasons();
    expect(new Set(current.map((r) => r.version))).toEqual(new Set(['2024-25']));
    expect(new Set(current.map((r) => r.family))).toEqual(new Set(data.contents.delayReasons.families.map((f) => f.code)));
    expect(current.filter((r) => r.family === 'capacity').map((r) => r.pathway)).toEqual([1, 2, 3]);
    expect(current.filter((r) => r.family === 'interface-process').map((r) => r.pathway)).toEqual([1, 2]);
  });

  it('resolves a code as it was worded in the version an old event used', () => {
    expect(data.delayReason('CAP-P1', '2022-23')?.label).toMatch(/start of care at home/);
    expect(data.delayReason('CAP-P1', '2024-25')?.label).toMatch(/not yet available/);
    expect(data.delayReason('CAP-P1')?.version).toBe('2024-25');
  });

  it('keeps a withdrawn code resolvable in its own version but not offered now', () => {
    expect(data.delayReason('COVID-BED', '2022-23')).toMatchObject({ family: 'infection-control', version: '2022-23' });
    expect(data.delayReason('COVID-BED')).toBeUndefined();
    expect(data.currentDelayReasons().map((r) => r.code)).not.toContain('COVID-BED');
    expect(data.delayReason('CHC-DECISION', '2022-23')).toBeUndefined();
  });

  it('knows which list was in force on a date', () => {
    expect(data.delayReasonVersionInForceOn('2023-06-01')).toBe('2022-23');
    expect(data.delayReasonVersionInForceOn('2024-04-01')).toBe('2024-25');
    expect(data.delayReasonVersionInForceOn('2021-01-01')).toBeUndefined();
    expect(() => data.delayReasonVersion('1999-00')).toThrow(/Unknown delay-reason list version/);
  });

  it('maps retired destinations for imported history and never offers them', () => {
    for (const [retired, current] of [
      ['54', '55'],
      ['65', '56'],
      ['85', '56'],
    ]) {
      expect(data.destination(retired)).toMatchObject({ retired: true, mapsTo: current });
      expect(data.currentDestinationFor(retired)?.code).toBe(current);
    }
    const offered = data.offeredDestinations().map((d) => d.code);
    expect(offered.some((code) => ['54', '65', '85'].includes(code))).toBe(false);
    expect(offered).toEqual(['19', '29', '51', '52', '53', '55', '56', '79', '88', '99']);
    expect(data.currentDestinationFor('19')?.code).toBe('19');
  });

  it('allows destinations by pathway as DESIGN §7 describes', () => {
    const codes = (pathway: 0 | 1 | 2 | 3) => data.destinationsAllowedForPathway(pathway).map((d) => d.code);
    expect(codes(0)).toEqual(['19', '29', '55', '56']);
    expect(codes(1)).toEqual(['19', '29', '55', '56']);
    expect(codes(2)).toEqual(['51', '55', '56', '88']);
    expect(codes(3)).toEqual(['55', '56']);
  });

  it('carries both target sets with their sources, and the home-first measures', () => {
    expect(data.targetSet('somerset-2024-national-target')?.targets.map((t) => t.percent)).toEqual([90, 5, 4, 1]);
    expect(data.targetSet('dhsc-2021-bolton-65-plus')?.targets.map((t) => `${t.comparison} ${t.percent}`)).toEqual([
      'at-least 50',
      'at-least 45',
      'at-most 4',
      'at-most 1',
    ]);
    for (const set of data.pathwayTargetSets) expect(set.source).not.toBe('');
    expect(data.contents.homeFirstMeasures.map((m) => `${m.pathways.join('+')} ${m.comparison} ${m.percent}`)).toEqual([
      '0+1 at-least 95',
      '2+3 at-most 5',
    ]);
  });

  it('checks service levels, counting days by London calendar date', () => {
    expect(data.serviceLevelMet('referral-accepted', '2026-01-15T09:00:00Z', '2026-01-15T09:15:00Z')).toBe(true);
    expect(data.serviceLevelMet('referral-accepted', '2026-01-15T09:00:00Z', '2026-01-15T09:15:01Z')).toBe(false);
    expect(data.serviceLevelMet('step-up-urgent-community-response', '2026-03-29T00:30:00Z', '2026-03-29T02:30:00Z')).toBe(true);
    // Requested late on 1 July (London); admitted on 3 July London time is within 2 days.
    expect(data.serviceLevelMet('bed-based-intermediate-care-start', '2026-07-01T22:30:00Z', '2026-07-03T22:30:00Z')).toBe(true);
    expect(data.serviceLevelMet('bed-based-intermediate-care-start', '2026-07-01T22:30:00Z', '2026-07-03T23:30:00Z')).toBe(false);
    expect(() => data.serviceLevelMet('nope', '2026-01-15T09:00:00Z', '2026-01-15T09:00:00Z')).toThrow(/Unknown service level/);
  });

  it('bands ages, ranks the hierarchy of use, and suppresses small counts', () => {
    expect([18, 64, 65, 84, 85, 104].map((age) => data.ageBandFor(age)?.code)).toEqual([
      '18-64',
      '18-64',
      '65-74',
      '75-84',
      '85+',
      '85+',
    ]);
    expect(data.ageBandFor(17)).toBeUndefined();
    expect(data.contents.hierarchyOfUse.map((t) => t.code)).toEqual([
      'CONTRACTED_HOME_FIRST_P2_REHAB',
      'COMMUNITY_HOSPITAL',
      'SPOT_PURCHASED_INTERIM',
      'WINTER_ESCALATION',
    ]);
    expect([0, 1, 4, 5].map((count) => data.isSuppressed(count))).toEqual([false, true, true, false]);
    expect(data.contents.delayedBedDayCost.illustrative).toBe(true);
  });
});

describe('choosing the file', () => {
  const saved = process.env[REFERENCE_DATA_FILE_VARIABLE];
  afterEach(() => {
    if (saved === undefined) delete process.env[REFERENCE_DATA_FILE_VARIABLE];
    else process.env[REFERENCE_DATA_FILE_VARIABLE] = saved;
  });

  it('reads REFERENCE_DATA_FILE when no path is given', () => {
    const file = shippedFile();
    file.name = 'Another system';
    const path = join(mkdtempSync(join(tmpdir(), 'reference-data-')), 'other.json');
    writeFileSync(path, JSON.stringify(file));
    process.env[REFERENCE_DATA_FILE_VARIABLE] = path;
    expect(loadReferenceData().contents.name).toBe('Another system');
  });

  it('names the file when it is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-data-'));
    expect(() => loadReferenceData(join(dir, 'missing.json'))).toThrow(
      /missing\.json is invalid:\n {2}- \$: cannot read the file/,
    );
    writeFileSync(join(dir, 'broken.json'), '{ "areas": ');
    expect(() => loadReferenceData(join(dir, 'broken.json'))).toThrow(/\$: is not valid JSON/);
  });
});

describe('validation names the JSON path and the rule', () => {
  it.each<[string, (file: RawFile) => void, string]>([
    ['an unknown top-level field', (f) => (f.area = []), '$.area: is not a known field (check for a typo)'],
    ['a missing section', (f) => delete f.serviceLevels, '$.serviceLevels: is required'],
    ['a wrong format', (f) => (f.format = 'v0'), "$.format: must be 'toc-hub-reference-data/1'"],
    [
      'a lower-case area code',
      (f) => (f.areas[0].code = 'mendip'),
      "$.areas[0].code: must be upper case letters, digits and underscores, e.g. MENDIP, got 'mendip'",
    ],
    [
      'adjacency to an undeclared area',
      (f) => f.areas[0].adjacentTo.push('DORSET'),
      "$.areas[0].adjacentTo[2]: names an unknown area 'DORSET'",
    ],
    [
      'an area adjacent to itself',
      (f) => f.areas[0].adjacentTo.push('MENDIP'),
      '$.areas[0].adjacentTo[2]: an area cannot be adjacent to itself',
    ],
    [
      'one-sided adjacency',
      (f) => f.areas[0].adjacentTo.push('SOMERSET_WEST_AND_TAUNTON'),
      "$.areas[0].adjacentTo[2]: adjacency must be symmetric: 'MENDIP' lists 'SOMERSET_WEST_AND_TAUNTON', but 'SOMERSET_WEST_AND_TAUNTON' does not list 'MENDIP'",
    ],
    ['a duplicate area', (f) => (f.areas[1].code = 'MENDIP'), "$.areas[1].code: duplicate area code 'MENDIP'"],
    [
      'a hospital in an unknown trust',
      (f) => (f.hospitals[0].trustOdsCode = 'RXX'),
      "$.hospitals[0].trustOdsCode: names an unknown trust 'RXX'",
    ],
    [
      'a malformed site code',
      (f) => (f.hospitals[0].siteOdsCode = 'RH5'),
      '$.hospitals[0].siteOdsCode: must be a 5-character ODS site code',
    ],
    [
      'a duplicate ward code',
      (f) => (f.hospitals[1].wards[0].code = 'RH5A8-AMU'),
      "$.hospitals[1].wards[0].code: duplicate ward code 'RH5A8-AMU'",
    ],
    [
      'an unknown current version',
      (f) => (f.delayReasons.current = '2030-31'),
      "$.delayReasons.current: names an unknown version '2030-31'",
    ],
    [
      'a delay reason in an unknown family',
      (f) => (f.delayReasons.versions[1].reasons[0].family = 'paperwork'),
      "$.delayReasons.versions[1].reasons[0].family: names an unknown family 'paperwork'",
    ],
    [
      'a duplicate reason code within a version',
      (f) => (f.delayReasons.versions[1].reasons[1].code = 'HOSP-MEDICAL'),
      "$.delayReasons.versions[1].reasons[1].code: duplicate reason code 'HOSP-MEDICAL'",
    ],
    [
      'a reason that changes pathway between versions',
      (f) => (f.delayReasons.versions[1].reasons.find((r: RawFile) => r.code === 'CAP-P1').pathway = 2),
      "code 'CAP-P1' changes pathway between versions; give the new meaning a new code",
    ],
    [
      'versions out of date order',
      (f) => (f.delayReasons.versions[1].effectiveFrom = '2021-04-01'),
      '$.delayReasons.versions[1].effectiveFrom: versions must be in order of effectiveFrom',
    ],
    [
      'a bad effective date',
      (f) => (f.delayReasons.versions[0].effectiveFrom = '2022-02-30'),
      "$.delayReasons.versions[0].effectiveFrom: must be a date as YYYY-MM-DD, got '2022-02-30'",
    ],
    [
      'a retired destination that is offered',
      (f) => (f.dischargeDestinations.codes.find((c: RawFile) => c.code === '54').offered = true),
      "$.dischargeDestinations.codes[11].offered: retired code '54' must never be offered",
    ],
    [
      'a retired destination with no mapping',
      (f) => delete f.dischargeDestinations.codes.find((c: RawFile) => c.code === '65').mapsTo,
      "$.dischargeDestinations.codes[12].mapsTo: retired code '65' needs mapsTo",
    ],
    [
      'a retired destination mapped to another retired code',
      (f) => (f.dischargeDestinations.codes.find((c: RawFile) => c.code === '85').mapsTo = '54'),
      "$.dischargeDestinations.codes[13].mapsTo: must map to a current code, but '54' is retired too",
    ],
    [
      'a pathway allowing a retired destination',
      (f) => f.dischargeDestinations.byPathway['3'].push('85'),
      "$.dischargeDestinations.byPathway.3[2]: destination '85' is not offered, so no pathway may allow it",
    ],
    [
      'a pathway with no destinations listed',
      (f) => delete f.dischargeDestinations.byPathway['2'],
      '$.dischargeDestinations.byPathway.2: is required',
    ],
    [
      'a target set missing a pathway',
      (f) => f.pathwayTargetSets[1].targets.pop(),
      '$.pathwayTargetSets[1].targets: must give a target for every pathway; missing P3',
    ],
    [
      'an expected mix that does not total 100',
      (f) => (f.pathwayTargetSets[0].targets[0].percent = 80),
      "$.pathwayTargetSets[0].targets: an expected mix (every comparison 'about') must total 100 percent, got 90",
    ],
    [
      'an unknown comparison',
      (f) => (f.homeFirstMeasures[0].comparison = 'more'),
      '$.homeFirstMeasures[0].comparison: must be one of "at-least", "at-most", "about"',
    ],
    [
      'a percentage over 100',
      (f) => (f.homeFirstMeasures[0].percent = 195),
      '$.homeFirstMeasures[0].percent: must be at most 100, got 195',
    ],
    [
      'a target set for an unknown age band',
      (f) => (f.pathwayTargetSets[1].ageBands = ['65+']),
      "$.pathwayTargetSets[1].ageBands[0]: names an unknown age band '65+'",
    ],
    [
      'a service level of zero minutes',
      (f) => (f.serviceLevels[0].within.amount = 0),
      '$.serviceLevels[0].within.amount: must be more than 0, got 0',
    ],
    [
      'a service level in weeks',
      (f) => (f.serviceLevels[0].within.unit = 'weeks'),
      '$.serviceLevels[0].within.unit: must be one of',
    ],
    [
      'tiers out of order',
      (f) => f.hierarchyOfUse.reverse(),
      '$.hierarchyOfUse[0].tier: tiers must run 1, 2, 3… in order of use; expected 1, got 4',
    ],
    [
      'a gap between age bands',
      (f) => (f.ageBands[1].minAge = 66),
      "$.ageBands[1].minAge: bands must be contiguous: expected 65 after '18-64', got 66",
    ],
    [
      'an open band that is not last',
      (f) => (f.ageBands[1].maxAge = null),
      '$.ageBands[1].maxAge: only the last band may be open-ended (null)',
    ],
    [
      'a negative bed-day cost',
      (f) => (f.delayedBedDayCost.amountGbp = -1),
      '$.delayedBedDayCost.amountGbp: must be at least 0, got -1',
    ],
    [
      'a fractional suppression threshold',
      (f) => (f.leaderViews.smallCountSuppressionThreshold = 2.5),
      '$.leaderViews.smallCountSuppressionThreshold: must be a whole number, got 2.5',
    ],
  ])('rejects %s', (_, change, expected) => {
    expect(problemsAfter(change)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('lists every problem at once, in the error message too', () => {
    const file = shippedFile();
    file.areas[0].code = 'mendip';
    file.leaderViews.smallCountSuppressionThreshold = 0;
    expect(() => referenceDataFrom(file, 'system.json')).toThrow(
      /^Reference data system\.json is invalid:\n {2}- \$\.areas\[0\]\.code: .*\n(.|\n)*- \$\.leaderViews\.smallCountSuppressionThreshold: must be at least 1, got 0/,
    );
  });

  it('rejects a file that is not an object at all', () => {
    expect(() => referenceDataFrom([])).toThrow(/\$: must be an object/);
  });
});
