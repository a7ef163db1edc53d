import { StreamNotFound, type CommandRunner, type EventStore, type RecordedEvent } from '@app/event-sourcing';
import {
  IdentityErased,
  openIdentity,
  sealIdentity,
  type PatientIdentity,
  type PatientVault,
  type SealedValue,
} from '@app/identity';
import { patientRecord, patientStreamOf, type PatientRecord } from './patient-record';

/**
 * The person behind a discharge case or a community referral, as both HTTP services handle them:
 * identity to the vault, a pseudonym to the events, free text sealed under the person's key, and the
 * sealed identity read back from the person's record. Erasure is tolerated on the way out: an erased
 * identity or note reads as null. Nest-free: each service makes one from its runner, vault and store.
 */
export class PersonRecords {
  constructor(
    private readonly runner: CommandRunner,
    private readonly vault: PatientVault,
    private readonly store: EventStore,
  ) {}

  /** The vault's single pseudonym for the person: by NHS number when traced, a new one when not. */
  pseudonymFor(patient: Pick<PatientIdentity, 'nhsNumber'>): Promise<string> {
    return patient.nhsNumber ? this.vault.patientIdFor(patient.nhsNumber) : this.vault.registerUntraced();
  }

  sealIdentity(patientId: string, identity: PatientIdentity): Promise<SealedValue> {
    return sealIdentity(this.vault, patientId, identity);
  }

  sealNote(patientId: string, note: string): Promise<SealedValue> {
    return this.vault.encrypt(patientId, note);
  }

  /** The person's record (`patient-<patientId>`): sealed identity and what is open for them. */
  async record(patientId: string): Promise<PatientRecord> {
    const { state } = await this.runner.load(patientRecord, patientStreamOf(patientId));
    return state;
  }

  /**
   * Whether a hold on the person's record (an open case claimed, a referral noted) is stale: the stream it
   * names was never written (the process died in between) and the hold is older than maxAgeMs.
   */
  async isStaleHold(
    patientId: string,
    heldStream: string,
    heldAt: (record: PatientRecord) => string | null | undefined,
    now: string,
    maxAgeMs: number,
  ): Promise<boolean> {
    const exists = await this.store.readStream(heldStream, { maxCount: 1 }).then(
      () => true,
      (error) => (error instanceof StreamNotFound ? false : Promise.reject(error)),
    );
    if (exists) return false;
    const since = heldAt(await this.record(patientId)) ?? null;
    return since !== null && Date.parse(now) - Date.parse(since) > maxAgeMs;
  }

  /** The identity sealed on the person's record, or null when none was recorded or it has been erased. */
  async identityOf(patientId: string): Promise<PatientIdentity | null> {
    const { sealedIdentity } = await this.record(patientId);
    if (!sealedIdentity) return null;
    try {
      return await openIdentity(this.vault, patientId, sealedIdentity);
    } catch (error) {
      if (error instanceof IdentityErased) return null;
      throw error;
    }
  }

  /**
   * One event as a history entry: the pseudonym left out, the actor reduced to who they are, and a sealed
   * note opened (null once erased; absent when the event has none).
   */
  async historyEntry(patientId: string, event: RecordedEvent) {
    const { sealedNote, patientId: _pseudonym, ...data } = event.data as Record<string, unknown>;
    let note: string | null | undefined;
    if (typeof sealedNote === 'string') {
      note = await this.vault.decrypt<string>(patientId, sealedNote).catch((error) => {
        if (error instanceof IdentityErased) return null;
        throw error;
      });
    }
    const { userId, role, organisation } = event.metadata.actor;
    return {
      type: event.type,
      revision: event.revision,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      by: { userId, role, organisation },
      data,
      ...(note !== undefined && { note }),
    };
  }

  /** Every event of a stream as history entries, in order. */
  history(patientId: string, events: readonly RecordedEvent[]) {
    return Promise.all(events.map((event) => this.historyEntry(patientId, event)));
  }
}
