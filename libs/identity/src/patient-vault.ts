import type { SealedValue } from './sealed-value';

/** Injection token for the PatientVault port. */
export const PATIENT_VAULT = Symbol('PATIENT_VAULT');

/**
 * Keeps one data key per patient, wrapped under the master key, and seals personal data with it.
 * `patientId` is a random UUID: pseudonymous, and not derivable from the NHS number.
 * Errors: IdentityErased, UnknownPatient, SealedValueRejected, InvalidNhsNumber, MasterKeyMismatch.
 */
export interface PatientVault {
  /** HMAC-SHA256 of the NHS number under the vault's lookup key, as hex: the `patient-<HMAC>` stream name. */
  lookupKey(nhsNumber: string): string;
  /** The patient already holding this NHS number, if any. */
  findPatient(nhsNumber: string): Promise<string | undefined>;
  /** The patient holding this NHS number, registering a new one (with a new key) when there is none. */
  patientIdFor(nhsNumber: string): Promise<string>;
  /** A patient without an NHS number yet: a new patientId and data key. */
  registerUntraced(): Promise<string>;
  /** Links an NHS number found by tracing to an untraced patient. Idempotent for the same number. */
  recordTracedNhsNumber(patientId: string, nhsNumber: string): Promise<void>;
  /** Seals a JSON value (a string stays a string) under the patient's key, bound to the patientId. */
  encrypt(patientId: string, plaintext: object | string): Promise<SealedValue>;
  decrypt<T = unknown>(patientId: string, sealed: string): Promise<T>;
  /**
   * Crypto-shredding: destroys the patient's key and NHS-number link and leaves a tombstone.
   * Idempotent. The IdentityErased domain event is the caller's to append.
   */
  erase(patientId: string): Promise<void>;
  isErased(patientId: string): Promise<boolean>;
  close(): Promise<void>;
}
