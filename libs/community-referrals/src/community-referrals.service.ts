import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  CommandDispatcher,
  CommandRunner,
  deterministicUuid,
  StreamNotFound,
  type Actor,
  type CommandOutcome,
  type EventStore,
  type RecordedEvent,
} from '@app/event-sourcing';
import {
  alsoOpenBesidesReferral,
  OpenCommunityReferralExists,
  patientRecord,
  patientStreamOf,
  type AlsoOpen,
} from '@app/discharge';
import {
  ageBandOn,
  IdentityErased as VaultIdentityErased,
  openIdentity,
  PATIENT_VAULT,
  sealIdentity,
  type PatientIdentity,
  type PatientVault,
} from '@app/identity';
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

  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly runner: CommandRunner,
    private readonly gateway: CommandGateway,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PATIENT_VAULT) private readonly vault: PatientVault,
    @Inject(REFERENCE_DATA) referenceData: ReferenceData,
  ) {
    this.decider = createReferralDecider(communityReferralRulesFrom(referenceData));
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
    const patientId = patient.nhsNumber ? await this.vault.patientIdFor(patient.nhsNumber) : await this.vault.registerUntraced();
    const command: SubmitCommunityReferral = {
      type: 'SubmitCommunityReferral',
      data: {
        referralId,
        patientId,
        ...referral,
        needs: { ...referral.needs, equipment: [...referral.needs.equipment], specialist: { ...referral.needs.specialist } },
        ageBand: ageBandOn(patient.dateOfBirth, londonDate(new Date(metadata.now))),
        sealedNote: note ? await this.vault.encrypt(patientId, note) : undefined,
      },
      metadata,
    };
    // Refusals come before the person's record is touched, so nothing is half-written.
    this.decider.decide(command, this.decider.initialState());
    await this.noteOpenReferral(
      patientId,
      referralId,
      await sealIdentity(this.vault, patientId, patient),
      context.actor,
      metadata.now,
    );
    const outcome = await this.dispatcher.dispatch(command, options);
    const { state } = await this.runner.load(patientRecord, patientStreamOf(patientId));
    return { outcome, referralId, alsoOpen: alsoOpenBesidesReferral(state) };
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

  private async isStale(patientId: string, existingReferralId: string, now: string): Promise<boolean> {
    const exists = await this.store.readStream(communityReferralStreamOf(existingReferralId), { maxCount: 1 }).then(
      () => true,
      (error) => (error instanceof StreamNotFound ? false : Promise.reject(error)),
    );
    if (exists) return false;
    const { state } = await this.runner.load(patientRecord, patientStreamOf(patientId));
    const notedAt = state.communityReferralNotedAt ?? null;
    return notedAt !== null && Date.parse(now) - Date.parse(notedAt) > STALE_NOTE_MS;
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
      sealedNote = await this.vault.encrypt(state.patientId, note);
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
    const { state: record } = await this.runner.load(patientRecord, patientStreamOf(state.patientId));
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
      history: await Promise.all(events.map((event) => this.historyEntry(state.patientId, event))),
    };
  }

  async alsoOpenOf(referralId: string): Promise<AlsoOpen | null> {
    const loaded = await this.runner.load(this.decider, communityReferralStreamOf(referralId));
    if (loaded.state.status === 'none') return null;
    const { state } = await this.runner.load(patientRecord, patientStreamOf(loaded.state.patientId));
    return alsoOpenBesidesReferral(state);
  }

  async identityOf(patientId: string): Promise<PatientIdentity | null> {
    const { state } = await this.runner.load(patientRecord, patientStreamOf(patientId));
    if (!state.sealedIdentity) return null;
    try {
      return await openIdentity(this.vault, patientId, state.sealedIdentity);
    } catch (error) {
      if (error instanceof VaultIdentityErased) return null;
      throw error;
    }
  }

  private async historyEntry(patientId: string, event: RecordedEvent) {
    const { sealedNote, patientId: _pseudonym, ...data } = event.data as Record<string, unknown>;
    let note: string | null | undefined;
    if (typeof sealedNote === 'string') {
      note = await this.vault.decrypt<string>(patientId, sealedNote).catch((error) => {
        if (error instanceof VaultIdentityErased) return null;
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
