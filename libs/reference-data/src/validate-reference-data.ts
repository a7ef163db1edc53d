import { isLondonDate, londonDaysBetween } from '@app/time';
import {
  PATHWAYS,
  SERVICE_LEVEL_UNITS,
  TARGET_COMPARISONS,
  type AgeBand,
  type Area,
  type DelayReason,
  type DelayReasonVersion,
  type DischargeDestination,
  type Hospital,
  type Pathway,
  type PathwayTarget,
  type ReferenceDataContents,
} from './types';

export const REFERENCE_DATA_FORMAT = 'toc-hub-reference-data/1';

/** Every problem found in a file, each as `<JSON path>: <rule>`, so one run shows the whole list. */
export class InvalidReferenceData extends Error {
  override readonly name = 'InvalidReferenceData';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Reference data ${file} is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const AREA_CODE = /^[A-Z][A-Z0-9_]*$/;
const REASON_CODE = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
const KEBAB_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TRUST_ODS = /^[A-Z0-9]{3}$/;
const SITE_ODS = /^[A-Z0-9]{5}$/;
const DESTINATION_CODE = /^\d{2}$/;

type Json = Record<string, unknown>;

class Reader {
  readonly problems: string[] = [];

  fail(path: string, rule: string): undefined {
    this.problems.push(`${path}: ${rule}`);
    return undefined;
  }

  object(path: string, value: unknown, required: readonly string[], optional: readonly string[] = []): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'must be an object');
      return {};
    }
    const known = new Set([...required, ...optional, '$comment']);
    for (const key of Object.keys(value))
      if (!known.has(key)) this.fail(`${path}.${key}`, 'is not a known field (check for a typo)');
    for (const key of required) if (!(key in value)) this.fail(`${path}.${key}`, 'is required');
    return value as Json;
  }

  array(path: string, value: unknown, nonEmpty = true): unknown[] {
    if (!Array.isArray(value)) return this.fail(path, 'must be an array') ?? [];
    if (nonEmpty && value.length === 0) this.fail(path, 'must not be empty');
    return value;
  }

  text(path: string, value: unknown, pattern?: RegExp, patternRule?: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') return this.fail(path, 'must be a non-empty string');
    if (pattern && !pattern.test(value))
      return this.fail(path, `${patternRule ?? `must match ${String(pattern)}`}, got '${value}'`);
    return value;
  }

  boolean(path: string, value: unknown): boolean | undefined {
    if (value === undefined) return undefined;
    return typeof value === 'boolean' ? value : this.fail(path, 'must be true or false');
  }

  number(
    path: string,
    value: unknown,
    rule: { integer?: boolean; min?: number; max?: number; above?: number },
  ): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, 'must be a number');
    if (rule.integer && !Number.isInteger(value)) return this.fail(path, `must be a whole number, got ${value}`);
    if (rule.min !== undefined && value < rule.min) return this.fail(path, `must be at least ${rule.min}, got ${value}`);
    if (rule.max !== undefined && value > rule.max) return this.fail(path, `must be at most ${rule.max}, got ${value}`);
    if (rule.above !== undefined && value <= rule.above) return this.fail(path, `must be more than ${rule.above}, got ${value}`);
    return value;
  }

  oneOf<T>(path: string, value: unknown, options: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    return options.includes(value as T)
      ? (value as T)
      : this.fail(path, `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
  }

  pathway(path: string, value: unknown): Pathway | undefined {
    return this.oneOf(path, value, PATHWAYS);
  }

  unique(path: string, items: readonly { value: string | undefined; path: string }[], what: string): Set<string> {
    const seen = new Set<string>();
    for (const item of items) {
      if (item.value === undefined) continue;
      if (seen.has(item.value))
        this.fail(item.path, `duplicate ${what} '${item.value}' (each ${what} must be unique in ${path})`);
      seen.add(item.value);
    }
    return seen;
  }
}

/** Checks a parsed reference data file and returns it typed. Throws InvalidReferenceData listing every problem. */
export function validateReferenceData(raw: unknown, file: string): ReferenceDataContents {
  const r = new Reader();
  const root = r.object(
    '$',
    raw,
    [
      'format',
      'name',
      'illustrative',
      'areas',
      'trusts',
      'hospitals',
      'delayReasons',
      'dischargeDestinations',
      'pathwayTargetSets',
      'homeFirstMeasures',
      'serviceLevels',
      'hierarchyOfUse',
      'ageBands',
      'delayedBedDayCost',
      'leaderViews',
    ],
    ['areasNote'],
  );

  if (root.format !== undefined && root.format !== REFERENCE_DATA_FORMAT) {
    r.fail(
      '$.format',
      `must be '${REFERENCE_DATA_FORMAT}' (the only format this build reads), got ${JSON.stringify(root.format)}`,
    );
  }
  const name = r.text('$.name', root.name);
  const illustrative = r.boolean('$.illustrative', root.illustrative);

  const areas = readAreas(r, root.areas);
  const areaCodes = new Set(areas.map((a) => a.code));
  const trusts = r.array('$.trusts', root.trusts).map((value, i) => {
    const path = `$.trusts[${i}]`;
    const t = r.object(path, value, ['odsCode', 'name'], ['note']);
    return {
      odsCode: r.text(`${path}.odsCode`, t.odsCode, TRUST_ODS, 'must be a 3-character ODS organisation code'),
      name: r.text(`${path}.name`, t.name),
      note: r.text(`${path}.note`, t.note),
    };
  });
  const trustCodes = r.unique(
    '$.trusts',
    trusts.map((t, i) => ({ value: t.odsCode, path: `$.trusts[${i}].odsCode` })),
    'ODS code',
  );
  const hospitals = readHospitals(r, root.hospitals, trustCodes, areaCodes);
  const ageBands = readAgeBands(r, root.ageBands);

  const contents = {
    format: REFERENCE_DATA_FORMAT,
    name,
    illustrative,
    areas,
    areasNote: r.text('$.areasNote', root.areasNote),
    trusts,
    hospitals,
    delayReasons: readDelayReasons(r, root.delayReasons),
    dischargeDestinations: readDischargeDestinations(r, root.dischargeDestinations),
    pathwayTargetSets: readTargetSets(r, root.pathwayTargetSets, new Set(ageBands.map((b) => b.code))),
    homeFirstMeasures: readHomeFirstMeasures(r, root.homeFirstMeasures),
    serviceLevels: readServiceLevels(r, root.serviceLevels),
    hierarchyOfUse: readHierarchy(r, root.hierarchyOfUse),
    ageBands,
    delayedBedDayCost: readBedDayCost(r, root.delayedBedDayCost),
    leaderViews: readLeaderViews(r, root.leaderViews),
  };
  if (r.problems.length > 0) throw new InvalidReferenceData(file, r.problems);
  // Every field was checked above; the cast only drops the "| undefined" the readers carry.
  return contents as ReferenceDataContents;
}

function readAreas(r: Reader, value: unknown): Area[] {
  const areas = r.array('$.areas', value).map((item, i) => {
    const path = `$.areas[${i}]`;
    const a = r.object(path, item, ['code', 'name', 'adjacentTo'], ['formerDistrictCode']);
    return {
      code: r.text(`${path}.code`, a.code, AREA_CODE, 'must be upper case letters, digits and underscores, e.g. MENDIP'),
      name: r.text(`${path}.name`, a.name),
      formerDistrictCode: r.text(`${path}.formerDistrictCode`, a.formerDistrictCode),
      adjacentTo: r.array(`${path}.adjacentTo`, a.adjacentTo, false).map((code, j) => r.text(`${path}.adjacentTo[${j}]`, code)),
    } as Area;
  });
  const codes = r.unique(
    '$.areas',
    areas.map((a, i) => ({ value: a.code, path: `$.areas[${i}].code` })),
    'area code',
  );
  const byCode = new Map(areas.map((a) => [a.code, a]));
  areas.forEach((area, i) =>
    area.adjacentTo.forEach((neighbour, j) => {
      const path = `$.areas[${i}].adjacentTo[${j}]`;
      if (neighbour === undefined) return;
      if (!codes.has(neighbour)) r.fail(path, `names an unknown area '${neighbour}' (adjacency must name a declared area)`);
      else if (neighbour === area.code) r.fail(path, `an area cannot be adjacent to itself ('${neighbour}')`);
      else if (!byCode.get(neighbour)?.adjacentTo.includes(area.code)) {
        r.fail(
          path,
          `adjacency must be symmetric: '${area.code}' lists '${neighbour}', but '${neighbour}' does not list '${area.code}'`,
        );
      }
    }),
  );
  return areas;
}

function readHospitals(r: Reader, value: unknown, trustCodes: Set<string>, areaCodes: Set<string>): Hospital[] {
  const hospitals = r.array('$.hospitals', value).map((item, i) => {
    const path = `$.hospitals[${i}]`;
    const h = r.object(path, item, ['siteOdsCode', 'name', 'trustOdsCode', 'area', 'codesIllustrative', 'wards'], ['note']);
    const trustOdsCode = r.text(`${path}.trustOdsCode`, h.trustOdsCode);
    if (trustOdsCode !== undefined && !trustCodes.has(trustOdsCode))
      r.fail(`${path}.trustOdsCode`, `names an unknown trust '${trustOdsCode}' (declare it in $.trusts)`);
    const area = r.text(`${path}.area`, h.area);
    if (area !== undefined && !areaCodes.has(area))
      r.fail(`${path}.area`, `names an unknown area '${area}' (declare it in $.areas)`);
    return {
      siteOdsCode: r.text(`${path}.siteOdsCode`, h.siteOdsCode, SITE_ODS, 'must be a 5-character ODS site code'),
      name: r.text(`${path}.name`, h.name),
      trustOdsCode,
      area,
      codesIllustrative: r.boolean(`${path}.codesIllustrative`, h.codesIllustrative),
      note: r.text(`${path}.note`, h.note),
      wards: r.array(`${path}.wards`, h.wards).map((ward, j) => {
        const wardPath = `${path}.wards[${j}]`;
        const w = r.object(wardPath, ward, ['code', 'name']);
        return { code: r.text(`${wardPath}.code`, w.code), name: r.text(`${wardPath}.name`, w.name) };
      }),
    } as Hospital;
  });
  r.unique(
    '$.hospitals',
    hospitals.map((h, i) => ({ value: h.siteOdsCode, path: `$.hospitals[${i}].siteOdsCode` })),
    'site ODS code',
  );
  r.unique(
    '$.hospitals[*].wards',
    hospitals.flatMap((h, i) => h.wards.map((w, j) => ({ value: w.code, path: `$.hospitals[${i}].wards[${j}].code` }))),
    'ward code',
  );
  return hospitals;
}

function readDelayReasons(r: Reader, value: unknown): ReferenceDataContents['delayReasons'] {
  const d = r.object('$.delayReasons', value, ['current', 'families', 'versions']);
  const families = r.array('$.delayReasons.families', d.families).map((item, i) => {
    const path = `$.delayReasons.families[${i}]`;
    const f = r.object(path, item, ['code', 'label']);
    return {
      code: r.text(`${path}.code`, f.code, KEBAB_ID, 'must be kebab-case, e.g. hospital-process'),
      label: r.text(`${path}.label`, f.label),
    };
  });
  const familyCodes = r.unique(
    '$.delayReasons.families',
    families.map((f, i) => ({ value: f.code, path: `$.delayReasons.families[${i}].code` })),
    'family',
  );

  const versions = r.array('$.delayReasons.versions', d.versions).map((item, i) => {
    const path = `$.delayReasons.versions[${i}]`;
    const v = r.object(path, item, ['version', 'effectiveFrom', 'source', 'reasons']);
    const version = r.text(`${path}.version`, v.version);
    const effectiveFrom = r.text(`${path}.effectiveFrom`, v.effectiveFrom);
    if (effectiveFrom !== undefined && !isLondonDate(effectiveFrom))
      r.fail(`${path}.effectiveFrom`, `must be a date as YYYY-MM-DD, got '${effectiveFrom}'`);
    const reasons = r.array(`${path}.reasons`, v.reasons).map((reasonItem, j) => {
      const reasonPath = `${path}.reasons[${j}]`;
      const reason = r.object(reasonPath, reasonItem, ['code', 'family', 'label'], ['pathway']);
      const family = r.text(`${reasonPath}.family`, reason.family);
      if (family !== undefined && !familyCodes.has(family))
        r.fail(`${reasonPath}.family`, `names an unknown family '${family}' (declare it in $.delayReasons.families)`);
      return {
        code: r.text(`${reasonPath}.code`, reason.code, REASON_CODE, 'must be upper case words joined by hyphens, e.g. CAP-P1'),
        version,
        family,
        label: r.text(`${reasonPath}.label`, reason.label),
        ...(reason.pathway === undefined ? {} : { pathway: r.pathway(`${reasonPath}.pathway`, reason.pathway) }),
      } as DelayReason;
    });
    r.unique(
      `${path}.reasons`,
      reasons.map((reason, j) => ({ value: reason.code, path: `${path}.reasons[${j}].code` })),
      'reason code',
    );
    return { version, effectiveFrom, source: r.text(`${path}.source`, v.source), reasons } as DelayReasonVersion;
  });
  const versionNames = r.unique(
    '$.delayReasons.versions',
    versions.map((v, i) => ({ value: v.version, path: `$.delayReasons.versions[${i}].version` })),
    'version',
  );
  versions.forEach((v, i) => {
    const previous = versions[i - 1];
    if (
      i > 0 &&
      isLondonDate(v.effectiveFrom) &&
      isLondonDate(previous.effectiveFrom) &&
      londonDaysBetween(previous.effectiveFrom, v.effectiveFrom) <= 0
    ) {
      r.fail(
        `$.delayReasons.versions[${i}].effectiveFrom`,
        `versions must be in order of effectiveFrom: ${v.effectiveFrom} is not after ${previous.effectiveFrom}`,
      );
    }
  });
  // A code keeps its meaning across versions; a pathway-specific reason must not drift to another pathway.
  const pathwayOf = new Map<string, Pathway | undefined>();
  versions.forEach((v, i) =>
    v.reasons.forEach((reason, j) => {
      if (pathwayOf.has(reason.code) && pathwayOf.get(reason.code) !== reason.pathway) {
        r.fail(
          `$.delayReasons.versions[${i}].reasons[${j}].pathway`,
          `code '${reason.code}' changes pathway between versions; give the new meaning a new code`,
        );
      }
      pathwayOf.set(reason.code, reason.pathway);
    }),
  );
  const current = r.text('$.delayReasons.current', d.current);
  if (current !== undefined && !versionNames.has(current))
    r.fail('$.delayReasons.current', `names an unknown version '${current}' (declare it in $.delayReasons.versions)`);
  return { current: current as string, families: families as ReferenceDataContents['delayReasons']['families'], versions };
}

function readDischargeDestinations(r: Reader, value: unknown): ReferenceDataContents['dischargeDestinations'] {
  const base = '$.dischargeDestinations';
  const d = r.object(base, value, ['source', 'codes', 'byPathway'], ['byPathwayNote']);
  const codes = r.array(`${base}.codes`, d.codes).map((item, i) => {
    const path = `${base}.codes[${i}]`;
    const c = r.object(path, item, ['code', 'label', 'shortLabel', 'offered'], ['retired', 'mapsTo', 'mappingNote', 'note']);
    return {
      code: r.text(`${path}.code`, c.code, DESTINATION_CODE, 'must be a 2-digit NHS Data Dictionary code'),
      label: r.text(`${path}.label`, c.label),
      shortLabel: r.text(`${path}.shortLabel`, c.shortLabel),
      offered: r.boolean(`${path}.offered`, c.offered),
      retired: c.retired === undefined ? false : r.boolean(`${path}.retired`, c.retired),
      ...(c.mapsTo === undefined ? {} : { mapsTo: r.text(`${path}.mapsTo`, c.mapsTo) }),
      ...(c.mappingNote === undefined ? {} : { mappingNote: r.text(`${path}.mappingNote`, c.mappingNote) }),
      ...(c.note === undefined ? {} : { note: r.text(`${path}.note`, c.note) }),
    } as DischargeDestination;
  });
  r.unique(
    `${base}.codes`,
    codes.map((c, i) => ({ value: c.code, path: `${base}.codes[${i}].code` })),
    'destination code',
  );
  const byCode = new Map(codes.map((c) => [c.code, c]));
  codes.forEach((c, i) => {
    const path = `${base}.codes[${i}]`;
    if (c.retired) {
      if (c.offered) r.fail(`${path}.offered`, `retired code '${c.code}' must never be offered`);
      if (c.mapsTo === undefined)
        r.fail(`${path}.mapsTo`, `retired code '${c.code}' needs mapsTo, the current code its history is read as`);
      else if (!byCode.has(c.mapsTo)) r.fail(`${path}.mapsTo`, `names an unknown destination '${c.mapsTo}'`);
      else if (byCode.get(c.mapsTo)?.retired)
        r.fail(`${path}.mapsTo`, `must map to a current code, but '${c.mapsTo}' is retired too`);
    } else if (c.mapsTo !== undefined) {
      r.fail(`${path}.mapsTo`, `only retired codes map to another code; '${c.code}' is current`);
    }
  });
  const byPathway = r.object(`${base}.byPathway`, d.byPathway, PATHWAYS.map(String));
  const allowed = Object.fromEntries(
    PATHWAYS.map((pathway) => {
      const path = `${base}.byPathway.${pathway}`;
      const list =
        byPathway[pathway] === undefined ? [] : r.array(path, byPathway[pathway]).map((code, j) => r.text(`${path}[${j}]`, code));
      list.forEach((code, j) => {
        const destination = code === undefined ? undefined : byCode.get(code);
        if (code === undefined) return;
        if (!destination) r.fail(`${path}[${j}]`, `names an unknown destination '${code}'`);
        else if (destination.retired || !destination.offered)
          r.fail(`${path}[${j}]`, `destination '${code}' is not offered, so no pathway may allow it`);
      });
      r.unique(
        path,
        list.map((code, j) => ({ value: code, path: `${path}[${j}]` })),
        'destination',
      );
      return [String(pathway), list as string[]];
    }),
  ) as unknown as ReferenceDataContents['dischargeDestinations']['byPathway'];
  return {
    source: r.text(`${base}.source`, d.source) as string,
    codes,
    byPathway: allowed,
    ...(d.byPathwayNote === undefined ? {} : { byPathwayNote: r.text(`${base}.byPathwayNote`, d.byPathwayNote) }),
  };
}

function readTargets(r: Reader, path: string, value: unknown): PathwayTarget[] {
  const targets = r.array(path, value).map((item, i) => {
    const t = r.object(`${path}[${i}]`, item, ['pathway', 'percent', 'comparison']);
    return {
      pathway: r.pathway(`${path}[${i}].pathway`, t.pathway),
      percent: r.number(`${path}[${i}].percent`, t.percent, { min: 0, max: 100 }),
      comparison: r.oneOf(`${path}[${i}].comparison`, t.comparison, TARGET_COMPARISONS),
    } as PathwayTarget;
  });
  r.unique(
    path,
    targets.map((t, i) => ({ value: t.pathway === undefined ? undefined : String(t.pathway), path: `${path}[${i}].pathway` })),
    'pathway',
  );
  const missing = PATHWAYS.filter((p) => !targets.some((t) => t.pathway === p));
  if (missing.length > 0) r.fail(path, `must give a target for every pathway; missing ${missing.map((p) => `P${p}`).join(', ')}`);
  const total = targets.reduce((sum, t) => sum + (t.percent ?? 0), 0);
  // An expected mix ("about" every pathway) describes all discharges, so it must add up.
  if (targets.length > 0 && targets.every((t) => t.comparison === 'about') && Math.abs(total - 100) > 1e-9) {
    r.fail(path, `an expected mix (every comparison 'about') must total 100 percent, got ${total}`);
  }
  return targets;
}

function readTargetSets(r: Reader, value: unknown, ageBandCodes: Set<string>): ReferenceDataContents['pathwayTargetSets'] {
  const sets = r.array('$.pathwayTargetSets', value).map((item, i) => {
    const path = `$.pathwayTargetSets[${i}]`;
    const s = r.object(path, item, ['id', 'label', 'source', 'population', 'targets'], ['ageBands']);
    const ageBands =
      s.ageBands === undefined
        ? undefined
        : r.array(`${path}.ageBands`, s.ageBands).map((code, j) => {
            const band = r.text(`${path}.ageBands[${j}]`, code);
            if (band !== undefined && !ageBandCodes.has(band))
              r.fail(`${path}.ageBands[${j}]`, `names an unknown age band '${band}' (declare it in $.ageBands)`);
            return band as string;
          });
    return {
      id: r.text(`${path}.id`, s.id, KEBAB_ID, 'must be kebab-case'),
      label: r.text(`${path}.label`, s.label),
      source: r.text(`${path}.source`, s.source),
      population: r.text(`${path}.population`, s.population),
      ...(ageBands === undefined ? {} : { ageBands }),
      targets: readTargets(r, `${path}.targets`, s.targets),
    };
  });
  r.unique(
    '$.pathwayTargetSets',
    sets.map((s, i) => ({ value: s.id, path: `$.pathwayTargetSets[${i}].id` })),
    'target set id',
  );
  return sets as ReferenceDataContents['pathwayTargetSets'];
}

function readHomeFirstMeasures(r: Reader, value: unknown): ReferenceDataContents['homeFirstMeasures'] {
  const measures = r.array('$.homeFirstMeasures', value).map((item, i) => {
    const path = `$.homeFirstMeasures[${i}]`;
    const m = r.object(path, item, ['id', 'label', 'pathways', 'percent', 'comparison', 'source']);
    const pathways = r.array(`${path}.pathways`, m.pathways).map((p, j) => r.pathway(`${path}.pathways[${j}]`, p));
    r.unique(
      `${path}.pathways`,
      pathways.map((p, j) => ({ value: p === undefined ? undefined : String(p), path: `${path}.pathways[${j}]` })),
      'pathway',
    );
    return {
      id: r.text(`${path}.id`, m.id, KEBAB_ID, 'must be kebab-case'),
      label: r.text(`${path}.label`, m.label),
      pathways,
      percent: r.number(`${path}.percent`, m.percent, { min: 0, max: 100 }),
      comparison: r.oneOf(`${path}.comparison`, m.comparison, TARGET_COMPARISONS),
      source: r.text(`${path}.source`, m.source),
    };
  });
  r.unique(
    '$.homeFirstMeasures',
    measures.map((m, i) => ({ value: m.id, path: `$.homeFirstMeasures[${i}].id` })),
    'measure id',
  );
  return measures as ReferenceDataContents['homeFirstMeasures'];
}

function readServiceLevels(r: Reader, value: unknown): ReferenceDataContents['serviceLevels'] {
  const levels = r.array('$.serviceLevels', value).map((item, i) => {
    const path = `$.serviceLevels[${i}]`;
    const s = r.object(path, item, ['id', 'label', 'from', 'to', 'within', 'source']);
    const w = r.object(`${path}.within`, s.within, ['amount', 'unit']);
    const unit = r.oneOf(`${path}.within.unit`, w.unit, SERVICE_LEVEL_UNITS);
    return {
      id: r.text(`${path}.id`, s.id, KEBAB_ID, 'must be kebab-case'),
      label: r.text(`${path}.label`, s.label),
      from: r.text(`${path}.from`, s.from),
      to: r.text(`${path}.to`, s.to),
      within: {
        amount: r.number(
          `${path}.within.amount`,
          w.amount,
          unit === 'london-calendar-days' ? { integer: true, min: 0 } : { above: 0 },
        ),
        unit,
      },
      source: r.text(`${path}.source`, s.source),
    };
  });
  r.unique(
    '$.serviceLevels',
    levels.map((l, i) => ({ value: l.id, path: `$.serviceLevels[${i}].id` })),
    'service level id',
  );
  return levels as ReferenceDataContents['serviceLevels'];
}

function readHierarchy(r: Reader, value: unknown): ReferenceDataContents['hierarchyOfUse'] {
  const tiers = r.array('$.hierarchyOfUse', value).map((item, i) => {
    const path = `$.hierarchyOfUse[${i}]`;
    const t = r.object(path, item, ['tier', 'code', 'label']);
    const tier = r.number(`${path}.tier`, t.tier, { integer: true, min: 1 });
    if (tier !== undefined && tier !== i + 1)
      r.fail(`${path}.tier`, `tiers must run 1, 2, 3… in order of use; expected ${i + 1}, got ${tier}`);
    return {
      tier,
      code: r.text(`${path}.code`, t.code, AREA_CODE, 'must be upper case letters, digits and underscores'),
      label: r.text(`${path}.label`, t.label),
    };
  });
  r.unique(
    '$.hierarchyOfUse',
    tiers.map((t, i) => ({ value: t.code, path: `$.hierarchyOfUse[${i}].code` })),
    'tier code',
  );
  return tiers as ReferenceDataContents['hierarchyOfUse'];
}

function readAgeBands(r: Reader, value: unknown): AgeBand[] {
  const bands = r.array('$.ageBands', value).map((item, i) => {
    const path = `$.ageBands[${i}]`;
    const b = r.object(path, item, ['code', 'label', 'minAge', 'maxAge']);
    return {
      code: r.text(`${path}.code`, b.code),
      label: r.text(`${path}.label`, b.label),
      minAge: r.number(`${path}.minAge`, b.minAge, { integer: true, min: 0 }),
      maxAge: b.maxAge === null ? null : r.number(`${path}.maxAge`, b.maxAge, { integer: true, min: 0 }),
    } as AgeBand;
  });
  r.unique(
    '$.ageBands',
    bands.map((b, i) => ({ value: b.code, path: `$.ageBands[${i}].code` })),
    'age band code',
  );
  bands.forEach((band, i) => {
    const path = `$.ageBands[${i}]`;
    const isLast = i === bands.length - 1;
    if (band.maxAge === null && !isLast) r.fail(`${path}.maxAge`, 'only the last band may be open-ended (null)');
    if (band.maxAge !== null && band.maxAge !== undefined && band.minAge !== undefined && band.maxAge < band.minAge) {
      r.fail(`${path}.maxAge`, `must not be below minAge ${band.minAge}`);
    }
    const previous = bands[i - 1];
    if (previous && typeof previous.maxAge === 'number' && band.minAge !== undefined && band.minAge !== previous.maxAge + 1) {
      r.fail(
        `${path}.minAge`,
        `bands must be contiguous: expected ${previous.maxAge + 1} after '${previous.code}', got ${band.minAge}`,
      );
    }
  });
  return bands;
}

function readBedDayCost(r: Reader, value: unknown): ReferenceDataContents['delayedBedDayCost'] {
  const path = '$.delayedBedDayCost';
  const c = r.object(path, value, ['amountGbp', 'basis', 'illustrative', 'source']);
  return {
    amountGbp: r.number(`${path}.amountGbp`, c.amountGbp, { min: 0 }) as number,
    basis: r.text(`${path}.basis`, c.basis) as string,
    illustrative: r.boolean(`${path}.illustrative`, c.illustrative) as boolean,
    source: r.text(`${path}.source`, c.source) as string,
  };
}

function readLeaderViews(r: Reader, value: unknown): ReferenceDataContents['leaderViews'] {
  const path = '$.leaderViews';
  const l = r.object(path, value, ['smallCountSuppressionThreshold'], ['note']);
  return {
    smallCountSuppressionThreshold: r.number(`${path}.smallCountSuppressionThreshold`, l.smallCountSuppressionThreshold, {
      integer: true,
      min: 1,
    }) as number,
    ...(l.note === undefined ? {} : { note: r.text(`${path}.note`, l.note) }),
  };
}
