import Database from 'better-sqlite3';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { londonDateOf } from './age-band';
import { IdentityErased } from './errors';
import { MasterKey } from './master-key';
import { openIdentity, PatientIdentityDto, sealIdentity, type PatientIdentity } from './patient-identity';
import { SqlitePatientVault } from './sqlite/sqlite-patient-vault';

const identity = (overrides: Record<string, unknown> = {}) => ({
  nhsNumber: '943 476 5919',
  givenName: '  Ada ',
  familyName: 'Lovelace',
  dateOfBirth: '1941-06-01',
  postcode: 'ta1 2ab',
  ...overrides,
});

const validate = (plain: Record<string, unknown>) => {
  const dto = plainToInstance(PatientIdentityDto, plain);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  return { dto, failed: errors.map((e) => e.property) };
};

describe('PatientIdentityDto', () => {
  it('given an identity as people type it, then it validates and is normalised', () => {
    const { dto, failed } = validate(identity());
    expect(failed).toEqual([]);
    expect({ ...dto }).toEqual({
      nhsNumber: '9434765919',
      givenName: 'Ada',
      familyName: 'Lovelace',
      dateOfBirth: '1941-06-01',
      postcode: 'TA1 2AB',
    });
  });

  it('given an untraced person with no NHS number, then it validates', () => {
    const { nhsNumber: _, ...untraced } = identity();
    expect(validate(untraced).failed).toEqual([]);
  });

  it.each(['SW1A 1AA', 'EC1A 1BB', 'W1A 0AX', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'GIR 0AA', 'ta12ab'])(
    'given the UK postcode %s, then it validates',
    (postcode) => expect(validate(identity({ postcode })).failed).toEqual([]),
  );

  it.each(['TA1', '12345', 'TA1 2CI', 'QA1 2AB', 'TA1 2AB X', ''])(
    'given %p, which is not a UK postcode, then it fails',
    (postcode) => expect(validate(identity({ postcode })).failed).toEqual(['postcode']),
  );

  it('given a date of birth before 1900, in the future, or not in the calendar, then it fails', () => {
    const tomorrow = londonDateOf(new Date(Date.now() + 36 * 3_600_000));
    for (const dateOfBirth of ['1899-12-31', tomorrow, '1941-02-30', '01/06/1941', 19410601]) {
      expect(validate(identity({ dateOfBirth })).failed).toEqual(['dateOfBirth']);
    }
    expect(validate(identity({ dateOfBirth: '1900-01-01' })).failed).toEqual([]);
    expect(validate(identity({ dateOfBirth: londonDateOf(new Date()) })).failed).toEqual([]);
  });

  it('given names that are blank after trimming, too long, or hold control characters, then they fail', () => {
    expect(validate(identity({ givenName: '   ' })).failed).toEqual(['givenName']);
    expect(validate(identity({ familyName: 'x'.repeat(101) })).failed).toEqual(['familyName']);
    expect(validate(identity({ familyName: 'x'.repeat(100) })).failed).toEqual([]);
    expect(validate(identity({ givenName: 'Ada\nLovelace' })).failed).toEqual(['givenName']);
    expect(validate(identity({ familyName: "O'Brien-Nuñez" })).failed).toEqual([]);
  });

  it('given an NHS number with a wrong check digit, then the message says so without echoing it', () => {
    const errors = validateSync(plainToInstance(PatientIdentityDto, identity({ nhsNumber: '9434765918' })));
    expect(errors.map((e) => e.constraints)).toEqual([
      { isNhsNumber: 'nhsNumber must be a valid 10-digit NHS number (check digit failed)' },
    ]);
  });
});

describe('sealIdentity / openIdentity', () => {
  let db: Database.Database;
  let vault: SqlitePatientVault;
  beforeEach(() => {
    db = new Database(':memory:');
    vault = new SqlitePatientVault({ database: db, masterKey: MasterKey.generate() });
  });
  afterEach(() => db.close());

  it('given an identity, when sealed and opened, then the same identity comes back and the sealed text reveals none of it', async () => {
    const patientId = await vault.patientIdFor('9434765919');
    const person: PatientIdentity = {
      nhsNumber: '9434765919',
      givenName: 'Ada',
      familyName: 'Lovelace',
      dateOfBirth: '1941-06-01',
      postcode: 'TA1 2AB',
    };
    const sealed = await sealIdentity(vault, patientId, person);
    for (const value of Object.values(person)) expect(sealed).not.toContain(value);
    await expect(openIdentity(vault, patientId, sealed)).resolves.toEqual(person);
  });

  it('given an object carrying extra fields, then only the identity fields are sealed', async () => {
    const patientId = await vault.registerUntraced();
    const withExtras = { givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1941-06-01', postcode: 'TA1 2AB', notes: 'x' };
    const opened = await openIdentity(vault, patientId, await sealIdentity(vault, patientId, withExtras));
    expect(opened).toEqual({ givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1941-06-01', postcode: 'TA1 2AB' });
  });

  it('given the patient was erased, then opening their identity throws IdentityErased', async () => {
    const patientId = await vault.registerUntraced();
    const sealed = await sealIdentity(vault, patientId, identity() as PatientIdentity);
    await vault.erase(patientId);
    await expect(openIdentity(vault, patientId, sealed)).rejects.toThrow(IdentityErased);
  });
});
