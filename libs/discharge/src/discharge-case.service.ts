import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  assertInScope,
  CommandDispatcher,
  CommandRunner,
  deterministicUuid,
  DomainRefusal,
  type Actor,
  type CommandOutcome,
  type EventStore,
  type RecordedEvent,
} from '@app/event-sourcing';
import { ageBandOn, PATIENT_VAULT, type PatientIdentity, type PatientVault } from '@app/identity';
import { CLOCK, CommandGateway, EVENT_STORE, type Clock, type HttpCommandContext } from '@app/platform';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import type { ReferenceData } from '@app/reference-data';
import { londonDate } from '@app/time';
import { createDischargeCaseDecider, type DischargeCase, type DischargeCaseCommand, type SubmitReferral } from './discharge-case';
import { dischargeRulesFrom } from './discharge-rules';
import { dischargeCaseStreamOf } from './discharge.context';
import type { SubmitReferralDto } from './discharge.dtos';
import { alsoOpenBesidesCase, OpenCaseExists, type AlsoOpen, type PatientRecord } from './patient-record';
import { PersonRecords } from './person-records';

/** A claim whose case never got written (the process died in between) is freed after this long. */
const STALE_CLAIM_MS = 60_000;

type CaseCommandType = Exclude<DischargeCaseCommand['type'], 'SubmitReferral' | 'RaiseNinetyOneDayFollowUp'>;
type DataOf<T extends DischargeCaseCommand['type']> = Omit<Extract<DischargeCaseCommand, { type: T }>['data'], 'caseId'>;

/**
 * The HTTP side of the discharge context: identity goes to the vault, a pseudonym to the events,
 * free text is sealed, and every command goes through the dispatcher to the pure decider.
 */
@Injectable()
export class DischargeCaseService {
  private readonly decider;
  private readonly persons: PersonRecords;

  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly runner: CommandRunner,
    private readonly gateway: CommandGateway,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PATIENT_VAULT) private readonly vault: PatientVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly referenceData: ReferenceData,
  ) {
    this.decider = createDischargeCaseDecider(dischargeRulesFrom(referenceData));
    this.persons = new PersonRecords(runner, vault, store);
  }

  async submit(dto: SubmitReferralDto, context: HttpCommandContext): Promise<CommandOutcome<unknown>> {
    const metadata = this.gateway.metadata(context);
    const options = this.gateway.options(context);
    // A retried request goes straight to the runner, which answers with the first outcome.
    const replayed = await this.runner.replayOf(this.decider, options.idempotency);
    if (replayed) return replayed;
    const caseId = context.idempotencyKey ? deterministicUuid(`case:${metadata.commandId}`) : randomUUID();
    const { patient, note, ...referral } = dto;
    const patientId = await this.persons.pseudonymFor(patient);
    const command: SubmitReferral = {
      type: 'SubmitReferral',
      data: {
        caseId,
        patientId,
        ...referral,
        needs: { ...referral.needs, specialist: { ...referral.needs.specialist } },
        ageBand: ageBandOn(patient.dateOfBirth, londonDate(new Date(metadata.now))),
        sealedNote: note ? await this.persons.sealNote(patientId, note) : undefined,
      },
      metadata,
    };
    // Refusals (unknown ward, out of scope) come before the person is claimed, so nothing is half-written.
    this.decider.decide(command, this.decider.initialState());
    await this.claimOpenCase(patientId, caseId, await this.persons.sealIdentity(patientId, patient), context.actor, metadata.now);
    return this.dispatcher.dispatch(command, options);
  }

  private async claimOpenCase(patientId: string, caseId: string, sealedIdentity: string, actor: Actor, now: string) {
    const claim = (commandId: string) =>
      this.dispatcher.dispatch(
        {
          type: 'ClaimOpenCase',
          data: { patientId, caseId, sealedIdentity },
          metadata: { commandId, correlationId: caseId, actor, now },
        },
        { retries: 3 },
      );
    try {
      await claim(`claim:${caseId}`);
    } catch (error) {
      if (!(error instanceof OpenCaseExists) || !(await this.isStaleClaim(patientId, error.existingCaseId, now))) throw error;
      await this.dispatcher.dispatch(
        {
          type: 'ReleaseOpenCase',
          data: { patientId, caseId: error.existingCaseId, reason: 'never-created' },
          metadata: { commandId: `release:${error.existingCaseId}`, correlationId: caseId, actor, now },
        },
        { retries: 3 },
      );
      await claim(`claim:${caseId}:after-stale`);
    }
  }

  private isStaleClaim(patientId: string, existingCaseId: string, now: string): Promise<boolean> {
    const claimedAt = (record: PatientRecord) => record.claimedAt;
    return this.persons.isStaleHold(patientId, dischargeCaseStreamOf(existingCaseId), claimedAt, now, STALE_CLAIM_MS);
  }

  /** Any command on an existing case. A note, if given, is sealed under the patient's key first. */
  async act<T extends CaseCommandType>(
    caseId: string,
    type: T,
    data: DataOf<T> & { note?: string },
    context: HttpCommandContext,
  ): Promise<CommandOutcome<unknown>> {
    const { note, ...rest } = data;
    let sealedNote: string | undefined;
    if (note !== undefined) {
      const { state } = await this.load(caseId);
      sealedNote = await this.persons.sealNote(state.patientId, note);
    }
    const command = {
      type,
      data: { ...rest, caseId, ...(sealedNote && { sealedNote }) },
      metadata: this.gateway.metadata(context),
    };
    return this.dispatcher.dispatch(command as DischargeCaseCommand, this.gateway.options(context));
  }

  /** Crypto-shreds the person's key, then records the fact on the case. Safe to retry. */
  async eraseIdentity(caseId: string, context: HttpCommandContext) {
    const { state } = await this.load(caseId);
    if (context.actor.role !== 'hub' && context.actor.role !== 'admin') {
      throw new DomainRefusal('ROLE_NOT_PERMITTED', 'Only hub or admin users may erase an identity', 'forbidden');
    }
    await this.vault.erase(state.patientId);
    return this.dispatcher.dispatch(
      { type: 'EraseIdentity', data: { caseId }, metadata: this.gateway.metadata(context) },
      this.gateway.options(context),
    );
  }

  /** The case as its reader may see it: scope first, so a ward of another trust learns nothing. */
  async read(caseId: string, actor: Actor) {
    const { state, revision, events } = await this.load(caseId);
    assertInScope(actor, { hospital: state.hospital });
    const identity = await this.identityOf(state.patientId);
    const alsoOpen = actor.role === 'hub' ? await this.alsoOpenFor(state.patientId) : undefined;
    return {
      caseId,
      revision,
      status: state.status,
      patientId: state.patientId,
      identity,
      identityErased: identity === null,
      ...(alsoOpen !== undefined && { alsoOpen }),
      facts: publicFacts(state),
      history: await this.persons.history(state.patientId, events),
    };
  }

  /** The person's open community referral, if any: the hub sees both (DESIGN §3 "Referral origins"). */
  async alsoOpenFor(patientId: string): Promise<AlsoOpen | null> {
    return alsoOpenBesidesCase(await this.persons.record(patientId));
  }

  /** As alsoOpenFor, from the case id (for the submit response). */
  async alsoOpenForCase(caseId: string): Promise<AlsoOpen | null> {
    const { state } = await this.runner.load(this.decider, dischargeCaseStreamOf(caseId));
    return state.status === 'none' ? null : this.alsoOpenFor(state.patientId);
  }

  identityOf(patientId: string): Promise<PatientIdentity | null> {
    return this.persons.identityOf(patientId);
  }

  private async load(
    caseId: string,
  ): Promise<{ state: Exclude<DischargeCase, { status: 'none' }>; revision: number; events: RecordedEvent[] }> {
    const { state, revision, events } = await this.runner.load(this.decider, dischargeCaseStreamOf(caseId));
    if (state.status === 'none' || revision === undefined)
      throw new NotFoundException({ code: 'CASE_NOT_FOUND', message: 'No such discharge case' });
    return { state, revision, events };
  }

  /** The delay-reason list version in force today, for requests that do not name one. */
  currentDelayListVersion(): string {
    const version = this.referenceData.delayReasonVersionInForceOn(londonDate(this.clock.now()));
    if (!version) throw new DomainRefusal('NO_DELAY_LIST_IN_FORCE', 'No delay-reason list is in force today: name reasonVersion');
    return version;
  }
}

/** The case's coded facts for a response: identity stays out, ids and codes only. */
export const publicFacts = (state: Exclude<DischargeCase, { status: 'none' }>) => {
  const { patientId: _p, closedDelayIds: _c, ...facts } = state;
  return facts;
};
