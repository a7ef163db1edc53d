import type { ReferenceData } from '@app/reference-data';
import { isLondonDate, londonDate, parseInstant } from '@app/time';
import { ProblemList, type DatedDischargeRow, type ParsedActivityFeed } from './activity-feed';
import { feedChecks, type Checked } from './feed-checks';

/** Ours: the hub defines these extensions; no national profile carries a discharge pathway or our areas. */
export const PATHWAY_EXTENSION = 'https://toc-hub.example/fhir/StructureDefinition/discharge-pathway';
export const AGE_BAND_EXTENSION = 'https://toc-hub.example/fhir/StructureDefinition/age-band';
export const AREA_EXTENSION = 'https://toc-hub.example/fhir/StructureDefinition/area';

export const ODS_ORGANISATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const ODS_SITE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-site-code';

/** Systems whose codes are the NHS Data Dictionary's two-digit DISCHARGE DESTINATION codes (see README). */
export const DISCHARGE_DESTINATION_SYSTEMS: readonly string[] = [
  'https://fhir.nhs.uk/CodeSystem/UKCore-DischargeDestination',
  'https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestination',
  'https://toc-hub.example/fhir/CodeSystem/data-dictionary-discharge-destination',
];

const BUNDLE_TYPES = ['collection', 'transaction'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a FHIR R4 Bundle of finished Encounters into daily discharge counts, the same rows a CSV gives.
 * Only the fields named in the README are read: `subject`, `identifier` and every Patient resource are never
 * looked at, so nothing that identifies a person can reach an event. Throws InvalidActivityFeed with a JSON
 * path per problem.
 */
export function parseDischargesFhir(
  input: string | unknown,
  reference: ReferenceData,
): ParsedActivityFeed & { kind: 'discharges' } {
  const problems = new ProblemList();
  const fail = (path: string, rule: string, message: string) => problems.add({ path, rule, message: `${path}: ${message}` });

  let bundle: unknown = input;
  if (typeof input === 'string') {
    try {
      bundle = JSON.parse(input.startsWith('\uFEFF') ? input.slice(1) : input);
    } catch {
      fail('$', 'json', 'the body is not valid JSON');
      problems.throwIfAny();
    }
  }
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
    fail('$.resourceType', 'bundle', "must be 'Bundle'");
    problems.throwIfAny();
  }
  const { type, entry } = bundle as Json;
  if (typeof type !== 'string' || !BUNDLE_TYPES.includes(type))
    fail('$.type', 'bundle', `must be one of ${BUNDLE_TYPES.join(', ')}`);
  if (!Array.isArray(entry)) fail('$.entry', 'bundle', 'must be an array of entries');
  problems.throwIfAny();

  const checks = feedChecks(reference);
  const totals = new Map<string, DatedDischargeRow>();
  let encounters = 0;

  (entry as unknown[]).forEach((item, i) => {
    if (problems.full) return;
    const at = `$.entry[${i}]`;
    if (!isObject(item) || !isObject(item.resource)) return fail(`${at}.resource`, 'shape', 'must be a resource');
    const resource = item.resource;
    // Patients, and anything else that is not an Encounter, are skipped unread.
    if (resource.resourceType !== 'Encounter') return;
    encounters++;
    const path = `${at}.resource`;
    let valid = true;
    const take = <T>(where: string, result: Checked<T>): T | undefined => {
      if (result.ok) return result.value;
      valid = false;
      fail(`${path}.${where}`, result.rule, result.message);
      return undefined;
    };
    const need = (where: string, rule: string, message: string): undefined => {
      valid = false;
      fail(`${path}.${where}`, rule, message);
      return undefined;
    };

    if (resource.status !== 'finished') need('status', 'status', "must be 'finished': only completed discharges are counted");

    const end = isObject(resource.period) ? resource.period.end : undefined;
    const date =
      typeof end !== 'string' ? need('period.end', 'required', 'the discharge instant is required') : dischargeDate(end);
    if (date === null)
      need('period.end', 'date', 'must be a FHIR dateTime with a time zone (e.g. 2026-11-23T14:05:00Z) or a date');

    const trust = odsIdentifier(resource.serviceProvider, ODS_ORGANISATION_SYSTEM);
    const trustCode =
      trust === undefined
        ? need('serviceProvider.identifier', 'required', `an identifier with system ${ODS_ORGANISATION_SYSTEM} is required`)
        : take('serviceProvider.identifier.value', checks.trust(trust));

    const sites = Array.isArray(resource.location)
      ? [...new Set(resource.location.map((l) => (isObject(l) ? odsIdentifier(l.location, ODS_SITE_SYSTEM) : undefined)))].filter(
          (s): s is string => s !== undefined,
        )
      : [];
    const site =
      sites.length !== 1
        ? need('location', 'site', `exactly one location must carry an identifier with system ${ODS_SITE_SYSTEM}`)
        : take('location.location.identifier.value', checks.site(sites[0], trustCode));

    const pathwayValue = extension(resource, PATHWAY_EXTENSION, 'valueInteger');
    const pathway =
      typeof pathwayValue !== 'number'
        ? need('extension', 'required', `an extension ${PATHWAY_EXTENSION} with valueInteger 0–3 is required`)
        : take(`extension(${PATHWAY_EXTENSION})`, checks.pathway(pathwayValue));

    const ageBandValue = extension(resource, AGE_BAND_EXTENSION, 'valueCode');
    const ageBand =
      typeof ageBandValue !== 'string'
        ? need('extension', 'required', `an extension ${AGE_BAND_EXTENSION} with a valueCode is required`)
        : take(`extension(${AGE_BAND_EXTENSION})`, checks.ageBand(ageBandValue));

    const areaValue = extension(resource, AREA_EXTENSION, 'valueCode');
    const area =
      typeof areaValue !== 'string'
        ? need('extension', 'required', `an extension ${AREA_EXTENSION} with a valueCode is required`)
        : take(`extension(${AREA_EXTENSION})`, checks.area(areaValue));

    const code = destinationCode(resource.hospitalization);
    const destination =
      code === undefined
        ? need(
            'hospitalization.dischargeDisposition.coding',
            'required',
            `a coding from one of ${DISCHARGE_DESTINATION_SYSTEMS.join(', ')} is required`,
          )
        : take('hospitalization.dischargeDisposition.coding.code', checks.destination(code));

    if (!valid) return;
    const row: DatedDischargeRow = {
      trust: trustCode!,
      date: date!,
      site: site!,
      pathway: pathway!,
      ...destination!,
      ageBand: ageBand!,
      area: area!,
      count: 1,
    };
    const key = JSON.stringify([
      row.trust,
      row.date,
      row.site,
      row.pathway,
      row.destination,
      row.originalDestination,
      row.ageBand,
      row.area,
    ]);
    const total = totals.get(key);
    if (total) total.count++;
    else totals.set(key, row);
  });
  if (encounters === 0 && problems.problems.length === 0) fail('$.entry', 'empty', 'the bundle holds no Encounter');
  problems.throwIfAny();
  return { kind: 'discharges', source: 'fhir', rows: [...totals.values()] };
}

/** A London date from a dateTime with a zone, or a bare date taken as London's; null when neither. */
function dischargeDate(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isLondonDate(value) ? value : null;
  try {
    return londonDate(parseInstant(value));
  } catch {
    return null;
  }
}

function odsIdentifier(reference: unknown, system: string): string | undefined {
  if (!isObject(reference) || !isObject(reference.identifier)) return undefined;
  const { identifier } = reference;
  return identifier.system === system && typeof identifier.value === 'string' ? identifier.value : undefined;
}

function extension(resource: Json, url: string, valueKey: string): unknown {
  if (!Array.isArray(resource.extension)) return undefined;
  const found = resource.extension.find((e) => isObject(e) && e.url === url);
  return isObject(found) ? found[valueKey] : undefined;
}

function destinationCode(hospitalization: unknown): string | undefined {
  if (!isObject(hospitalization) || !isObject(hospitalization.dischargeDisposition)) return undefined;
  const { coding } = hospitalization.dischargeDisposition;
  if (!Array.isArray(coding)) return undefined;
  const found = coding.find(
    (c) => isObject(c) && typeof c.system === 'string' && DISCHARGE_DESTINATION_SYSTEMS.includes(c.system),
  );
  return isObject(found) && typeof found.code === 'string' ? found.code : undefined;
}
