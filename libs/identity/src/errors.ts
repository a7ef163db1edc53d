// Messages name the pseudonymous patientId at most: never a name, date of birth or NHS number.

/** The patient's key was destroyed (crypto-shredding): nothing sealed for them can be opened again. */
export class IdentityErased extends Error {
  override readonly name = 'IdentityErased';
  constructor(readonly patientId: string) {
    super(`Patient ${patientId} was erased; their personal data can no longer be read`);
  }
}

export class UnknownPatient extends Error {
  override readonly name = 'UnknownPatient';
  constructor(readonly patientId: string) {
    super(`Patient ${patientId} is not known to the vault`);
  }
}

export type SealedValueRejection = 'malformed' | 'not-sealed-for-this-patient' | 'authentication-failed';

/** A sealed value was altered, truncated, or sealed for someone else. */
export class SealedValueRejected extends Error {
  override readonly name = 'SealedValueRejected';
  constructor(
    readonly patientId: string,
    readonly reason: SealedValueRejection,
  ) {
    super(`Sealed value for patient ${patientId} rejected: ${reason}`);
  }
}

/** A key was wrapped under a master key this process does not hold: MASTER_KEY is wrong or was rotated elsewhere. */
export class MasterKeyMismatch extends Error {
  override readonly name = 'MasterKeyMismatch';
  constructor(
    readonly expectedKeyId: string,
    readonly actualKeyId: string,
  ) {
    super(`Keys in the vault are wrapped under master key ${expectedKeyId}, but the configured MASTER_KEY is ${actualKeyId}`);
  }
}

export class NhsNumberAlreadyLinked extends Error {
  override readonly name = 'NhsNumberAlreadyLinked';
  constructor(
    readonly patientId: string,
    readonly linkedPatientId: string,
  ) {
    super(`Patient ${patientId}: that NHS number already belongs to patient ${linkedPatientId}`);
  }
}

export class PatientAlreadyTraced extends Error {
  override readonly name = 'PatientAlreadyTraced';
  constructor(readonly patientId: string) {
    super(`Patient ${patientId} already has a different NHS number`);
  }
}

export class MasterKeyUnavailable extends Error {
  override readonly name = 'MasterKeyUnavailable';
}
