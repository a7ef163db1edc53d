import type { BusEvent } from '@app/messaging';
import {
  careEnded,
  careStarted,
  endOfLifeSubmitted,
  FIRST_REQUEST,
  needs,
  PATIENT_ID,
  REFERRAL_ID,
  referralTriaged,
  referralWithdrawn,
  SECOND_REQUEST,
  triagedToBed,
} from './testing/builders';
import { CARE_PM, reactToCommunityCare, reactToReferralClosing, RELEASE_PM } from './process-managers';

const EVENT_ID = '11111111-2222-4333-8444-555555555555';
const onBus = (event: { type: string; data: unknown }, streamId = `communityReferral-${REFERRAL_ID}`): BusEvent => ({
  id: EVENT_ID,
  type: event.type,
  schemaVersion: 1,
  streamId,
  revision: 1,
  position: '10',
  occurredAt: '2026-11-23T10:00:00.000Z',
  recordedAt: '2026-11-23T10:00:00.000Z',
  data: event.data,
  metadata: {
    correlationId: 'corr-1',
    causationId: 'cause-1',
    actor: { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' },
  },
});
const commandsOf = (event: { type: string; data: unknown }, streamId?: string) =>
  reactToCommunityCare(onBus(event, streamId)).map(({ type, data }) => ({ type, data }));

describe('community referrals process manager', () => {
  it('a step-up triaged to a bed opens a community bed request for a step-down bed with the referral’s bed needs', () =>
    expect(commandsOf(triagedToBed({ needs: needs({ mobility: 'hoist' }) }))).toEqual([
      {
        type: 'OpenBedRequest',
        data: {
          requestId: FIRST_REQUEST,
          caseId: REFERRAL_ID,
          origin: 'community-referral',
          pathway: 2,
          bedCategory: 'step-down',
          area: 'SEDGEMOOR',
          needs: {
            capabilities: ['hoist'],
            sexForBayAllocation: 'no-requirement',
            infectionIsolation: false,
            endOfLife: false,
            opmh: false,
          },
        },
      },
    ]));

  it('an end-of-life request triaged to a bed asks for an end-of-life bed and marks the need', () => {
    const [open] = commandsOf(triagedToBed({ kind: 'end-of-life', bedCategory: 'end-of-life' }));
    expect(open.data).toMatchObject({ bedCategory: 'end-of-life', needs: { endOfLife: true } });
    expect(endOfLifeSubmitted().data.kind).toBe('end-of-life');
  });

  it('support at home requests a community package with the triage’s hours', () =>
    expect(commandsOf(referralTriaged({ hoursPerWeek: 12 }))).toEqual([
      {
        type: 'RequestPackage',
        data: {
          packageId: FIRST_REQUEST,
          origin: 'community-referral',
          referralId: REFERRAL_ID,
          area: 'SEDGEMOOR',
          hoursPerWeek: 12,
        },
      },
    ]));

  it('support at home with no package, signposting and declining ask for nothing', () => {
    expect(commandsOf(referralTriaged({ hoursPerWeek: 0, careRequest: null }))).toEqual([]);
    expect(
      commandsOf(
        referralTriaged({ outcome: 'signposted', reason: 'hospice-specialist-advice', careRequest: null, closesReferral: true }),
      ),
    ).toEqual([]);
  });

  it('a new triage cancels the superseded package before opening the bed request', () =>
    expect(
      commandsOf(
        triagedToBed({
          careRequest: { setting: 'bed', requestId: SECOND_REQUEST },
          supersedes: { setting: 'home', requestId: FIRST_REQUEST },
        }),
      ).map((c) => [c.type, c.data]),
    ).toEqual([
      ['CancelPackageRequest', { packageId: FIRST_REQUEST, reason: 'home-care-no-longer-needed' }],
      ['OpenBedRequest', expect.objectContaining({ requestId: SECOND_REQUEST })],
    ]));

  it('a new triage closes the superseded bed request (which releases its reservation)', () =>
    expect(
      commandsOf(
        referralTriaged({
          careRequest: { setting: 'home', requestId: SECOND_REQUEST },
          supersedes: { setting: 'bed', requestId: FIRST_REQUEST },
        }),
      )[0],
    ).toEqual({ type: 'CloseBedRequest', data: { requestId: FIRST_REQUEST, reason: 'no-longer-needed' } }));

  it.each([
    ['died', 'patient-died', 'patient-died'],
    ['admitted-to-hospital', 'no-longer-needed', 'referral-withdrawn'],
    ['no-longer-needed', 'no-longer-needed', 'referral-withdrawn'],
    ['referrer-cancelled', 'case-withdrawn', 'referral-withdrawn'],
    ['entered-in-error', 'case-withdrawn', 'referral-withdrawn'],
  ] as const)('withdrawal (%s) closes the bed request (%s) or cancels the package (%s)', (reason, bedReason, packageReason) => {
    expect(commandsOf(referralWithdrawn({ reason, outstanding: { setting: 'bed', requestId: FIRST_REQUEST } }))).toEqual([
      { type: 'CloseBedRequest', data: { requestId: FIRST_REQUEST, reason: bedReason } },
    ]);
    expect(commandsOf(referralWithdrawn({ reason, outstanding: { setting: 'home', requestId: FIRST_REQUEST } }))).toEqual([
      { type: 'CancelPackageRequest', data: { packageId: FIRST_REQUEST, reason: packageReason } },
    ]);
  });

  it('a withdrawal with nothing outstanding compensates nothing', () => expect(commandsOf(referralWithdrawn())).toEqual([]));

  it('care starting in the bed records the admission in the bed base; at home the provider starts the package', () => {
    expect(commandsOf(careStarted({ setting: 'bed' }))).toEqual([
      { type: 'RecordDischargeToBed', data: { requestId: FIRST_REQUEST, dischargedAt: '2026-11-23T10:00:00.000Z' } },
    ]);
    expect(commandsOf(careStarted())).toEqual([]);
  });

  it('a reservation on a community bed request arranges care on the referral; a discharge one does not', () => {
    const recorded = (origin: string) => ({
      type: 'BedRequestReservationRecorded',
      data: {
        requestId: FIRST_REQUEST,
        caseId: REFERRAL_ID,
        origin,
        bedId: 'bed-1',
        reservationId: 'reservation-1',
        expiresAt: '2026-11-24T10:00:00.000Z',
        recordedAt: '2026-11-23T10:00:00.000Z',
      },
    });
    expect(commandsOf(recorded('community-referral'), `bedRequest-${FIRST_REQUEST}`)).toEqual([
      {
        type: 'ArrangeCare',
        data: { referralId: REFERRAL_ID, requestId: FIRST_REQUEST, source: 'bed-reservation', sourceId: 'reservation-1' },
      },
    ]);
    expect(commandsOf(recorded('hospital-discharge'))).toEqual([]);
  });

  it('an accepted community package arranges care on the referral; a discharge package does not', () => {
    const accepted = (referralId: string | null, caseId: string | null) => ({
      type: 'PackageAccepted',
      data: {
        packageId: FIRST_REQUEST,
        offerId: 'o-1',
        providerId: 'PRV-MENDIP-CARE',
        locality: 'SEDGEMOOR',
        startOn: '2026-11-23',
        hoursPerWeek: 10,
        caseId,
        referralId,
        acceptedAt: '2026-11-23T10:00:00.000Z',
      },
    });
    expect(commandsOf(accepted(REFERRAL_ID, null))).toEqual([
      {
        type: 'ArrangeCare',
        data: { referralId: REFERRAL_ID, requestId: FIRST_REQUEST, source: 'home-care-package', sourceId: FIRST_REQUEST },
      },
    ]);
    expect(commandsOf(accepted(null, 'case-1'))).toEqual([]);
  });

  it('is deterministic: the same event gives the same command ids, acting as the process manager', () => {
    const [a] = reactToCommunityCare(onBus(triagedToBed()));
    const [b] = reactToCommunityCare(onBus(triagedToBed()));
    expect(a.metadata).toEqual(b.metadata);
    expect(a.metadata).toMatchObject({ commandId: `${CARE_PM}:${EVENT_ID}:0`, causationId: EVENT_ID, actor: { role: 'system' } });
  });
});

describe('open referral release', () => {
  const release = {
    type: 'ReleaseOpenCommunityReferral',
    data: { patientId: PATIENT_ID, referralId: REFERRAL_ID, reason: 'closed' },
  };
  const of = (event: { type: string; data: unknown }) =>
    reactToReferralClosing(onBus(event)).map(({ type, data, metadata }) => ({ type, data, by: metadata.actor.userId }));

  it.each([
    ['withdrawn', referralWithdrawn()],
    ['care ended', careEnded()],
    ['signposted', referralTriaged({ outcome: 'signposted', reason: 'primary-care', careRequest: null, closesReferral: true })],
  ])('frees the person’s record when the referral closes (%s)', (_why, event) =>
    expect(of(event)).toEqual([{ ...release, by: `pm:${RELEASE_PM}` }]),
  );

  it('keeps it while the referral is open', () => {
    expect(of(referralTriaged())).toEqual([]);
    expect(of(careStarted())).toEqual([]);
  });
});
