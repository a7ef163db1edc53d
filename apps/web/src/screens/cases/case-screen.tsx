import { endpoints } from '../../api/endpoints';
import type { CaseView } from '../../api/types';
import { ErrorPanel, Tag, useLoad } from '../../components/common';
import { Spinner } from '../../components/forms';
import {
  labelOf,
  PATHWAY_LABELS,
  P2_BED_CATEGORIES,
  P3_BED_CATEGORIES,
  STATUS_LABELS,
  USUAL_RESIDENCES,
} from '../../domain/codes';
import { formatNhsNumber } from '../../domain/nhs-number';
import { formatDate, formatInstant } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { trustName, useReferenceData, wardName } from '../../reference-data';
import { useUser } from '../../session';
import { STATUS_TONE } from './case-table';
import { CriteriaToResidePanel, DelaysPanel } from './readiness-panels';
import { AcceptReturnPanel, DischargePanel, ErasurePanel, FollowUpPanel, PathwayPanel, WithdrawPanel } from './hub-panels';
import { History } from './history';

/** One case: who, where, readiness, delays, pathway, discharge and the full history. Ward and hub. */
export function CaseScreen({ caseId }: { caseId: string }) {
  const user = useUser();
  const ref = useReferenceData();
  const loaded = useLoad(() => endpoints.case(caseId), `case-${caseId}`);
  useLiveView('case-list', () => void loaded.reload());
  if (loaded.error && !loaded.data) return <ErrorPanel error={loaded.error} />;
  if (!loaded.data) return <Spinner label="Loading the case" />;
  const view: CaseView = loaded.data;
  const { facts } = view;
  const referral = view.history.find((h) => h.type === 'ReferralSubmitted')?.data ?? {};
  const open = view.status === 'referred' || view.status === 'accepted';
  const isHub = user.role === 'hub';
  const props = { view, refresh: loaded.reload };
  const plan = facts.plan;

  return (
    <div>
      <div className="page-heading">
        <div>
          <span className="caption">Discharge case</span>
          <h1 data-testid="case-heading">
            {view.identity ? `${view.identity.givenName} ${view.identity.familyName}` : 'Identity erased'}
          </h1>
        </div>
        <Tag tone={STATUS_TONE[view.status]}>
          <span data-testid="case-status">{STATUS_LABELS[view.status]}</span>
        </Tag>
      </div>

      <div className="case-layout">
        <div className="case-layout__main">
          <dl className="summary-list">
            <div>
              <dt>NHS number</dt>
              <dd>
                {view.identity ? (view.identity.nhsNumber ? formatNhsNumber(view.identity.nhsNumber) : 'Not traced yet') : '—'}
              </dd>
            </div>
            {view.identity && (
              <>
                <div>
                  <dt>Date of birth</dt>
                  <dd>{formatDate(view.identity.dateOfBirth)}</dd>
                </div>
                <div>
                  <dt>Postcode</dt>
                  <dd>{view.identity.postcode}</dd>
                </div>
              </>
            )}
            <div>
              <dt>Age band</dt>
              <dd>{facts.ageBand}</dd>
            </div>
            <div>
              <dt>Where</dt>
              <dd>
                {typeof referral.ward === 'string' ? wardName(ref, referral.ward) : '—'} · {trustName(ref, facts.hospital)}
              </dd>
            </div>
            <div>
              <dt>Admitted</dt>
              <dd>{formatDate(facts.admittedOn)}</dd>
            </div>
            <div>
              <dt>Usually lives</dt>
              <dd>
                {labelOf(USUAL_RESIDENCES, referral.usualResidence as string)} ·{' '}
                {ref.areas.find((a) => a.code === referral.area)?.name ?? String(referral.area ?? '—')}
              </dd>
            </div>
            <div>
              <dt>Referred</dt>
              <dd>
                {formatInstant(facts.submittedAt)}
                {typeof referral.proposedPathway === 'number' && <> · proposed P{referral.proposedPathway}</>}
              </dd>
            </div>
            <div>
              <dt>Pathway</dt>
              <dd data-testid="case-pathway">
                {plan ? (
                  <>
                    {PATHWAY_LABELS[plan.pathway]}
                    {plan.pathway === 1 && <> · home care {plan.homeCareNeeded ? 'needed' : 'not needed'}</>}
                    {plan.pathway === 2 && (
                      <>
                        {' '}
                        · {labelOf(P2_BED_CATEGORIES, plan.bedCategory)} bed ·{' '}
                        {plan.intentionToReturnHome ? 'intends to return home' : 'not returning home'}
                      </>
                    )}
                    {plan.pathway === 3 && <> · {labelOf(P3_BED_CATEGORIES, plan.bedCategory)}</>}
                  </>
                ) : (
                  'Not assigned'
                )}
              </dd>
            </div>
            {facts.dischargedAt && (
              <div>
                <dt>Discharged</dt>
                <dd>{formatInstant(facts.dischargedAt)}</dd>
              </div>
            )}
            {facts.followUpDueOn && (
              <div>
                <dt>91-day follow-up</dt>
                <dd>
                  Due {formatDate(facts.followUpDueOn)} · {facts.followUpRecorded ? 'recorded' : 'not recorded yet'}
                </dd>
              </div>
            )}
          </dl>

          {isHub && view.status === 'referred' && <AcceptReturnPanel {...props} />}
          {open && <CriteriaToResidePanel {...props} />}
          {open && <DelaysPanel {...props} />}
          {open && <PathwayPanel {...props} role={user.role} />}
          {open && <DischargePanel {...props} role={user.role} />}
          {isHub && view.status === 'discharged' && facts.followUpDueOn && !facts.followUpRecorded && (
            <FollowUpPanel {...props} />
          )}
          {open && <WithdrawPanel {...props} />}
          {isHub && !view.identityErased && <ErasurePanel {...props} />}
        </div>
        <aside className="case-layout__side">
          <History view={view} />
        </aside>
      </div>
    </div>
  );
}
