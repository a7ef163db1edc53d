import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandMetadata } from '@app/event-sourcing';
import { loadReferenceData } from '@app/reference-data';
import { InvalidActivityFeed, type FeedProblem } from './activity-feed';
import { parseDischargesCsv } from './csv-import';
import { acuteActivityReport, acuteActivityStreamOf, planImport } from './acute-activity-report';
import { AGE_BAND_EXTENSION, AREA_EXTENSION, parseDischargesFhir, PATHWAY_EXTENSION } from './fhir-import';

const reference = loadReferenceData();
const hub: CommandMetadata = {
  commandId: 'fhir-import-1',
  correlationId: 'fhir-import-1',
  actor: { userId: 'hub.user', role: 'hub', organisation: 'TOCH' },
  now: '2026-11-25T09:00:00.000Z',
};

type Json = Record<string, unknown>;
const encounter = (overrides: Json = {}): Json => ({
  resourceType: 'Encounter',
  status: 'finished',
  extension: [
    { url: PATHWAY_EXTENSION, valueInteger: 1 },
    { url: AGE_BAND_EXTENSION, valueCode: '85+' },
    { url: AREA_EXTENSION, valueCode: 'MENDIP' },
  ],
  period: { start: '2026-11-20T10:00:00Z', end: '2026-11-23T14:00:00Z' },
  hospitalization: {
    dischargeDisposition: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/UKCore-DischargeDestination', code: '19' }] },
  },
  location: [{ location: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-site-code', value: 'RH5A8' } } }],
  serviceProvider: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RH5' } },
  ...overrides,
});
const bundle = (...resources: Json[]): Json => ({
  resourceType: 'Bundle',
  type: 'collection',
  entry: resources.map((resource) => ({ resource })),
});

const problemsOf = (input: unknown): FeedProblem[] => {
  try {
    parseDischargesFhir(input, reference);
  } catch (error) {
    if (error instanceof InvalidActivityFeed) return [...error.problems];
    throw error;
  }
  throw new Error('expected the bundle to be refused');
};

describe('FHIR R4 Bundle of Encounters', () => {
  it('reads the sample bundle (as text) into daily counts', () => {
    const feed = parseDischargesFhir(readFileSync(join(__dirname, 'samples', 'discharges.fhir.json'), 'utf8'), reference);
    expect(feed).toMatchObject({ kind: 'discharges', source: 'fhir' });
    expect(feed.rows).toEqual(
      expect.arrayContaining([
        {
          trust: 'RH5',
          date: '2026-11-23',
          site: 'RH5A8',
          pathway: 0,
          destination: '19',
          ageBand: '75-84',
          area: 'SEDGEMOOR',
          count: 2,
        },
        {
          trust: 'RH5',
          date: '2026-11-24',
          site: 'RH5A8',
          pathway: 3,
          destination: '56',
          originalDestination: '85',
          ageBand: '85+',
          area: 'MENDIP',
          count: 1,
        },
        {
          trust: 'RA4',
          date: '2026-11-24',
          site: 'RA430',
          pathway: 0,
          destination: '19',
          ageBand: '65-74',
          area: 'SOUTH_SOMERSET',
          count: 1,
        },
      ]),
    );
    expect(feed.rows.reduce((sum, r) => sum + r.count, 0)).toBe(6);
  });

  it('counts encounters into the same rows as the equivalent CSV', () => {
    const feed = parseDischargesFhir(bundle(encounter(), encounter(), encounter({ status: 'finished' })), reference);
    expect(feed.rows).toEqual([
      {
        trust: 'RH5',
        date: '2026-11-23',
        site: 'RH5A8',
        pathway: 1,
        destination: '19',
        ageBand: '85+',
        area: 'MENDIP',
        count: 3,
      },
    ]);
  });

  it.each([
    ['a summer evening in BST', '2026-06-30T23:30:00Z', '2026-07-01'],
    ['a winter evening in GMT', '2026-11-23T23:30:00Z', '2026-11-23'],
    ['an offset instant', '2026-07-01T00:10:00+01:00', '2026-07-01'],
    ['a bare date', '2026-11-22', '2026-11-22'],
  ])('dates a discharge by its London day: %s', (_, end, date) => {
    const feed = parseDischargesFhir(bundle(encounter({ period: { end } })), reference);
    expect(feed.rows[0].date).toBe(date);
  });

  it('accepts a transaction bundle', () => {
    expect(parseDischargesFhir({ ...bundle(encounter()), type: 'transaction' }, reference).rows).toHaveLength(1);
  });

  describe('people', () => {
    const patient = {
      resourceType: 'Patient',
      id: 'pat-7f3a',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' }],
      name: [{ family: 'Chapman', given: ['Agatha'] }],
      birthDate: '1931-04-17',
      address: [{ postalCode: 'TA1 5DA' }],
    };
    const identified = encounter({
      id: 'enc-local-4471',
      identifier: [{ system: 'https://musgrove.example/Id/encounter', value: 'MPH-ADM-0048812' }],
      subject: { reference: 'Patient/pat-7f3a', identifier: { value: '9434765919' }, display: 'Agatha Chapman' },
    });
    const secrets = ['9434765919', 'Chapman', 'Agatha', '1931-04-17', 'TA1 5DA', 'pat-7f3a', 'enc-local-4471', 'MPH-ADM-0048812'];

    it('skips Patient resources and never lets an identifier reach an event', () => {
      const feed = parseDischargesFhir(bundle(patient, identified, patient), reference);
      const events = planImport(feed, hub).flatMap((command) =>
        acuteActivityReport.decide(command, acuteActivityReport.initialState()),
      );
      expect(events).toHaveLength(1);
      const everything = JSON.stringify({ feed, events });
      for (const secret of secrets) expect(everything).not.toContain(secret);
    });

    it('never repeats an identifier in a problem either', () => {
      const problems = problemsOf(bundle(patient, { ...identified, status: 'in-progress' }));
      expect(problems).toHaveLength(1);
      for (const secret of secrets) expect(JSON.stringify(problems)).not.toContain(secret);
    });

    it('does not read subject or birthDate for the age band: it must come as our extension', () => {
      const withoutBand = encounter({
        extension: [
          { url: PATHWAY_EXTENSION, valueInteger: 1 },
          { url: AREA_EXTENSION, valueCode: 'MENDIP' },
        ],
      });
      expect(problemsOf(bundle(patient, withoutBand))).toEqual([
        expect.objectContaining({
          path: '$.entry[1].resource.extension',
          rule: 'required',
          message: expect.stringContaining('age-band'),
        }),
      ]);
    });
  });

  describe('refuses a bad bundle, naming the entry and the path', () => {
    it.each([
      ['not JSON', '{"resourceType": "Bundle",', '$', 'json'],
      ['not a Bundle', { resourceType: 'Encounter' }, '$.resourceType', 'bundle'],
      ['a searchset', { ...bundle(encounter()), type: 'searchset' }, '$.type', 'bundle'],
      ['no entry array', { resourceType: 'Bundle', type: 'collection' }, '$.entry', 'bundle'],
      ['no Encounter at all', bundle({ resourceType: 'Patient' }), '$.entry', 'empty'],
      ['an entry without a resource', { ...bundle(), entry: [{ fullUrl: 'x' }] }, '$.entry[0].resource', 'shape'],
    ])('%s', (_, input, path, rule) => {
      expect(problemsOf(input)).toEqual([expect.objectContaining({ path, rule })]);
    });

    it.each([
      ['status', { status: 'in-progress' }, 'status', 'status'],
      ['period.end missing', { period: { start: '2026-11-20T10:00:00Z' } }, 'period.end', 'required'],
      ['period.end without a zone', { period: { end: '2026-11-23T14:00:00' } }, 'period.end', 'date'],
      ['period.end not a date', { period: { end: '2026-02-30' } }, 'period.end', 'date'],
      ['serviceProvider', { serviceProvider: { reference: 'Organization/1' } }, 'serviceProvider.identifier', 'required'],
      [
        'an unknown trust',
        { serviceProvider: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RXX' } } },
        'serviceProvider.identifier.value',
        'trust',
      ],
      ['no site', { location: [] }, 'location', 'site'],
      [
        'two sites',
        {
          location: [
            { location: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-site-code', value: 'RH5A8' } } },
            { location: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-site-code', value: 'RA430' } } },
          ],
        },
        'location',
        'site',
      ],
      [
        "another trust's site",
        { location: [{ location: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-site-code', value: 'RA430' } } }] },
        'location.location.identifier.value',
        'site-trust',
      ],
      [
        'a SNOMED CT destination',
        { hospitalization: { dischargeDisposition: { coding: [{ system: 'http://snomed.info/sct', code: '306689006' }] } } },
        'hospitalization.dischargeDisposition.coding',
        'required',
      ],
      [
        'an unknown destination code',
        {
          hospitalization: {
            dischargeDisposition: {
              coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/UKCore-DischargeDestination', code: '57' }],
            },
          },
        },
        'hospitalization.dischargeDisposition.coding.code',
        'destination',
      ],
    ])('%s', (_, overrides, where, rule) => {
      expect(problemsOf(bundle(encounter(), encounter(overrides)))).toEqual([
        expect.objectContaining({ path: `$.entry[1].resource.${where}`, rule }),
      ]);
    });

    it.each([
      ['pathway', PATHWAY_EXTENSION, { valueInteger: 5 }, 'pathway'],
      ['pathway as a string', PATHWAY_EXTENSION, { valueString: '1' }, 'required'],
      ['age band', AGE_BAND_EXTENSION, { valueCode: '90+' }, 'age-band'],
      ['area', AREA_EXTENSION, { valueCode: 'TAUNTON' }, 'area'],
    ])('a bad %s extension', (_, url, value, rule) => {
      const extension = (encounter().extension as Json[]).map((e) => (e.url === url ? { url, ...value } : e));
      expect(problemsOf(bundle(encounter({ extension })))).toEqual([
        expect.objectContaining({ path: expect.stringMatching(/^\$\.entry\[0\]\.resource\.extension/), rule }),
      ]);
    });

    it('collects problems across entries', () => {
      const problems = problemsOf(bundle(encounter({ status: 'cancelled' }), encounter(), encounter({ period: {} })));
      expect(problems.map((p) => p.path)).toEqual(['$.entry[0].resource.status', '$.entry[2].resource.period.end']);
    });
  });

  it('plans one command per trust and London date', () => {
    const feed = parseDischargesFhir(readFileSync(join(__dirname, 'samples', 'discharges.fhir.json'), 'utf8'), reference);
    expect(planImport(feed, hub).map(acuteActivityStreamOf)).toEqual([
      'acuteActivity-RA4.discharges.2026-11-24',
      'acuteActivity-RH5.discharges.2026-11-23',
      'acuteActivity-RH5.discharges.2026-11-24',
    ]);
  });

  it('records the same report from FHIR as from the equivalent CSV, so re-sending by the other route changes nothing', () => {
    const fromFhir = planImport(parseDischargesFhir(bundle(encounter(), encounter()), reference), hub)[0];
    const csv =
      'period_date,trust_ods,site_ods,pathway,destination_code,age_band,area,discharges\r\n2026-11-23,RH5,RH5A8,1,19,85+,MENDIP,2\r\n';
    const fromCsv = planImport(parseDischargesCsv(csv, reference), hub)[0];
    const [event] = acuteActivityReport.decide(fromFhir, acuteActivityReport.initialState()) as {
      data: { contentHash: string };
    }[];
    expect(acuteActivityReport.decide(fromCsv, { contentHash: event.data.contentHash })).toEqual([]);
  });
});
