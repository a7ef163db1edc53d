import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  CommandDispatcher,
  CommandRunner,
  deterministicUuid,
  type Actor,
  type CommandOutcome,
  type EventStore,
  type RecordedEvent,
} from '@app/event-sourcing';
import {
  alsoOpenBesidesReferral,
  OpenCommunityReferralExists,
  PersonRecords,
  type AlsoOpen,
  type PatientRecord,
} from '@app/discharge';
import { ageBandOn, PATIENT_VAULT, type PatientIdentity, type PatientVault } from '@app/identity';
import { CommandGateway, EVENT_STORE, type HttpCommandContext } from '@app/platform';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import type { ReferenceData } from '@app/reference-data';
import { londonDate } from '@app/time';
import { communityReferralRulesFrom } from './community-referral-rules';
import type { SubmitCommunityReferralDto } from './community-referrals.dtos';
import {
  communityReferralStreamOf,
  createReferralDecider,
  type IntermediateCareReferral,
  type IntermediateCareReferralCommand,
  type SubmitCommunityReferral,
} from './intermediate-care-referral';

/** A note whose referral never got written (the process died in between) is freed after this long. */
const STALE_NOTE_MS = 60_000;

type ActCommandType = 'TriageCommunityReferral' | 'RecordFirstResponse' | 'StartCare' | 'EndCare' | 'WithdrawCommunityReferral';
type DataOf<T extends ActCommandType> = Omit<Extract<IntermediateCareReferralCommand, { type: T }>['data'], 'referralId'>;
type Existing = Exclude<IntermediateCareReferral, { status: 'none' }>;

/**
 * The HTTP side of community referrals, as in discharge: identity to the vault, a pseudonym to the events,
 * free text sealed, the person's record noting the open referral beside any open discharge case.
 */
@Injectable()
export class CommunityReferralsService {
  private readonly decider;
  private readonly persons: PersonRecords;

  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly runner: CommandRunner,
    private readonly gateway: CommandGateway,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PATIENT_VAULT) vault: PatientVault,
    @Inject(REFERENCE_DATA) referenceData: ReferenceData,
  ) {
    this.decider = createReferralDecider(communityReferralRulesFrom(referenceData));
    this.persons = new PersonRecords(runner, vault, store);
  }

  async submit(
    dto: SubmitCommunityReferralDto,
    context: HttpCommandContext,
  ): Promise<{ outcome: CommandOutcome<unknown>; referralId: string; alsoOpen: AlsoOpen | null }> {
    const metadata = this.gateway.metadata(context);
    const options = this.gateway.options(context);
    const replayed = await this.runner.replayOf(this.decider, options.idempotency);
    const referralId = context.idempotencyKey ? deterministicUuid(`community-referral:${metadata.commandId}`) : randomUUID();
    if (replayed) return { outcome: replayed, referralId, alsoOpen: await this.alsoOpenOf(referralId) };
    const { patient, note, ...referral } = dto;
    const patientId = await this.persons.pseudonymFor(patient);
    const command: SubmitCommunityReferral = {
      type: 'SubmitCommunityReferral',
      data: {
        referralId,
        patientId,
        ...referral,
        needs: { ...referral.needs, equipment: [...referral.needs.equipment], specialist: { ...referral.needs.specialist } },
        ageBand: ageBandOn(patient.dateOfBirth, londonDate(new Date(metadata.now))),
        sealedNote: note ? await this.persons.sealNote(patientId, note) : undefined,
      },
      metadata,
    };
    // Refusals come before the person's record is touched, so nothing is half-written.
    this.decider.decide(command, this.decider.initialState());
    await this.noteOpenReferral(
      patientId,
      referralId,
      await this.persons.sealIdentity(patientId, patient),
      context.actor,
      metadata.now,
    );
    const outcome = await this.dispatcher.dispatch(command, options);
    return { outcome, referralId, alsoOpen: alsoOpenBesidesReferral(await this.persons.record(patientId)) };
  }

  private async noteOpenReferral(patientId: string, referralId: string, sealedIdentity: string, actor: Actor, now: string) {
    const noteIt = (commandId: string) =>
      this.dispatcher.dispatch(
        {
          type: 'NoteOpenCommunityReferral',
          data: { patientId, referralId, sealedIdentity },
          metadata: { commandId, correlationId: referralId, actor, now },
        },
        { retries: 3 },
      );
    try {
      await noteIt(`note-referral:${referralId}`);
    } catch (error) {
      if (!(error instanceof OpenCommunityReferralExists) || !(await this.isStale(patientId, error.existingReferralId, now))) {
        throw error;
      }
      await this.dispatcher.dispatch(
        {
          type: 'ReleaseOpenCommunityReferral',
          data: { patientId, referralId: error.existingReferralId, reason: 'never-created' },
          metadata: { commandId: `release-referral:${error.existingReferralId}`, correlationId: referralId, actor, now },
        },
        { retries: 3 },
      );
      await noteIt(`note-referral:${referralId}:after-stale`);
    }
  }

  private isStale(patientId: string, existingReferralId: string, now: string): Promise<boolean> {
    const notedAt = (record: PatientRecord) => record.communityReferralNotedAt;
    return this.persons.isStaleHold(patientId, communityReferralStreamOf(existingReferralId), notedAt, now, STALE_NOTE_MS);
  }

  async act<T extends ActCommandType>(
    referralId: string,
    type: T,
    data: DataOf<T> & { note?: string },
    context: HttpCommandContext,
  ): Promise<CommandOutcome<unknown>> {
    const { note, ...rest } = data;
    let sealedNote: string | undefined;
    if (note !== undefined) {
      const { state } = await this.load(referralId);
      sealedNote = await this.persons.sealNote(state.patientId, note);
    }
    const command = {
      type,
      data: { ...rest, referralId, ...(sealedNote && { sealedNote }) },
      metadata: this.gateway.metadata(context),
    };
    return this.dispatcher.dispatch(command as unknown as IntermediateCareReferralCommand, this.gateway.options(context));
  }

  /** The referral with identity, history, and what else is open for the person (hub only: the route says so). */
  async read(referralId: string) {
    const { state, revision, events } = await this.load(referralId);
    const record = await this.persons.record(state.patientId);
    const identity = await this.identityOf(state.patientId);
    return {
      referralId,
      revision,
      status: state.status,
      patientId: state.patientId,
      identity,
      identityErased: identity === null,
      alsoOpen: alsoOpenBesidesReferral(record),
      facts: publicFacts(state),
      history: await this.persons.history(state.patientId, events),
    };
  }

  async alsoOpenOf(referralId: string): Promise<AlsoOpen | null> {
    const loaded = await this.runner.load(this.decider, communityReferralStreamOf(referralId));
    if (loaded.state.status === 'none') return null;
    return alsoOpenBesidesReferral(await this.persons.record(loaded.state.patientId));
  }

  identityOf(patientId: string): Promise<PatientIdentity | null> {
    return this.persons.identityOf(patientId);
  }

  private async load(referralId: string): Promise<{ state: Existing; revision: number; events: RecordedEvent[] }> {
    const { state, revision, events } = await this.runner.load(this.decider, communityReferralStreamOf(referralId));
    if (state.status === 'none' || revision === undefined) {
      throw new NotFoundException({ code: 'REFERRAL_NOT_FOUND', message: 'No such community referral' });
    }
    return { state, revision, events };
  }
}

/** Coded facts only: the pseudonym stays out of responses. */
export const publicFacts = (state: Existing) => {
  const { patientId: _p, ...facts } = state;
  return facts;
};
