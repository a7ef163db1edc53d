import { useMemo, useState } from 'react';
import { endpoints } from '../../api/endpoints';
import type { BedRecommendation, BoardRow, CaseListRow, OpenBedRequest } from '../../api/types';
import { ActionError, useAction, type Action } from '../../components/action';
import { ErrorPanel, Tag, useLoad, useNow } from '../../components/common';
import { Button, Field, Select, Spinner, describedBy } from '../../components/forms';
import {
  BED_CATEGORY_LABELS,
  BED_STATUS_LABELS,
  CAPABILITY_LABELS,
  FUNDING_LABELS,
  LEAVING_OUTCOMES,
} from '../../domain/capacity-codes';
import { elapsedSince, formatInstant } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { useReferenceData } from '../../reference-data';
import { Link } from '../../router';

const SHOWN_RANKED = 8;
const MAX_HOLD_HOURS = 72;
/** The 2-day start target for bed-based intermediate care, watched from the request's age. */
const START_TARGET_HOURS = 48;

type Names = Map<string, string>;

/** The hub's bed board: open requests, a recommendation with its reasons, and every bed by site and tier. */
export function BedBoard() {
  const beds = useLoad(endpoints.beds, 'beds');
  const requests = useLoad(endpoints.bedRequests, 'bed-requests');
  const cases = useLoad(() => endpoints.cases(), 'bed-board-cases');
  const [selected, setSelected] = useState<string | null>(null);
  const recommendation = useLoad<BedRecommendation | null>(
    () => (selected ? endpoints.recommendation(selected) : Promise.resolve(null)),
    `recommendation-${selected ?? 'none'}`,
  );
  const reloadAll = async () => {
    await Promise.all([beds.reload(), requests.reload(), selected ? recommendation.reload() : undefined]);
  };
  useLiveView('bed-board', () => void reloadAll());
  useLiveView('case-list', () => void cases.reload());
  const names: Names = useMemo(
    () => new Map((cases.data ?? []).map((row: CaseListRow) => [row.caseId, row.person?.name ?? 'Identity erased'])),
    [cases.data],
  );
  const action = useAction(reloadAll);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const bed of beds.data ?? []) c[bed.status] = (c[bed.status] ?? 0) + 1;
    return c;
  }, [beds.data]);

  return (
    <div>
      <h1>Bed board</h1>
      <p className="lede">
        The single bed base: every commissioned bed by site and tier of the hierarchy of use, with its status and since when.
      </p>
      {beds.data && (
        <ul className="stat-strip" aria-label="Beds by status" data-testid="bed-counts">
          {(['open', 'reserved', 'occupied', 'closed', 'site-closed', 'stood-down'] as const).map((status) => (
            <li key={status}>
              <span className="stat-strip__number">{counts[status] ?? 0}</span> {BED_STATUS_LABELS[status].text.toLowerCase()}
            </li>
          ))}
        </ul>
      )}

      <section aria-labelledby="requests-heading" className="section">
        <h2 id="requests-heading">Bed requests</h2>
        {requests.error ? <ErrorPanel error={requests.error} /> : null}
        {!requests.data && !requests.error && <Spinner label="Loading bed requests" />}
        {requests.data && requests.data.length === 0 && <p className="inset">No one is waiting for a bed.</p>}
        {requests.data && requests.data.length > 0 && (
          <RequestTable
            requests={requests.data}
            names={names}
            selected={selected}
            onSelect={setSelected}
            action={action}
            beds={beds.data ?? []}
          />
        )}
      </section>

      {selected && (
        <section aria-labelledby="recommendation-heading" className="section panel panel--highlight" data-testid="recommendation">
          <h2 id="recommendation-heading">
            Recommended beds for {names.get(requests.data?.find((r) => r.requestId === selected)?.caseId ?? '') ?? 'this request'}
          </h2>
          {recommendation.error ? <ErrorPanel error={recommendation.error} /> : null}
          {!recommendation.data && !recommendation.error && <Spinner label="Ranking beds" />}
          {recommendation.data && (
            <RecommendationView
              recommendation={recommendation.data}
              request={requests.data?.find((r) => r.requestId === selected)}
              action={action}
              beds={beds.data ?? []}
            />
          )}
        </section>
      )}

      <section aria-labelledby="board-heading" className="section">
        <h2 id="board-heading">Beds by site</h2>
        {beds.error ? <ErrorPanel error={beds.error} /> : null}
        {!beds.data && !beds.error && <Spinner label="Loading the bed board" />}
        {beds.data && <Board rows={beds.data} names={names} action={action} />}
      </section>
    </div>
  );
}

function needsText(request: OpenBedRequest, areaName: (code: string) => string): string {
  const parts = [
    `P${request.pathway} ${BED_CATEGORY_LABELS[request.bedCategory] ?? request.bedCategory}`,
    areaName(request.area),
  ];
  const { needs } = request;
  if (needs.capabilities.length) parts.push(needs.capabilities.map((c) => CAPABILITY_LABELS[c] ?? c).join(', '));
  if (needs.sexForBayAllocation !== 'no-requirement') parts.push(`${needs.sexForBayAllocation} bay`);
  if (needs.infectionIsolation) parts.push('isolation');
  if (needs.endOfLife) parts.push('end of life');
  if (needs.opmh) parts.push('OPMH');
  return parts.join(' · ');
}

function RequestTable({
  requests,
  names,
  selected,
  onSelect,
  action,
  beds,
}: {
  requests: OpenBedRequest[];
  names: Names;
  selected: string | null;
  onSelect: (requestId: string) => void;
  action: Action;
  beds: BoardRow[];
}) {
  const ref = useReferenceData();
  const areaName = (code: string) => ref.areas.find((a) => a.code === code)?.name ?? code;
  const now = useNow(30_000);
  return (
    <table className="table" data-testid="bed-requests">
      <caption className="visually-hidden">Open bed requests, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">Waiting</th>
          <th scope="col">Person</th>
          <th scope="col">Needs</th>
          <th scope="col">Reservation</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {requests.map((request) => {
          const held = request.reservation;
          const bed = held && beds.find((b) => b.bedId === held.bedId);
          const name = names.get(request.caseId) ?? 'Person';
          return (
            <tr
              key={request.requestId}
              data-request-id={request.requestId}
              className={selected === request.requestId ? 'row--selected' : undefined}
            >
              <td>
                <Tag tone={request.ageHours >= START_TARGET_HOURS ? 'red' : 'green'}>{elapsedSince(request.openedAt, now)}</Tag>
                <div className="hint">{formatInstant(request.openedAt)}</div>
              </td>
              <td>
                {request.origin === 'hospital-discharge' ? (
                  <Link to={`/cases/${request.caseId}`}>{name}</Link>
                ) : (
                  'Community referral'
                )}
              </td>
              <td>{needsText(request, areaName)}</td>
              <td>
                {held ? (
                  <>
                    <Tag tone="yellow">Reserved</Tag> {bed?.label ?? held.bedId}
                    <div className="hint">until {formatInstant(held.expiresAt)}</div>
                  </>
                ) : (
                  'None'
                )}
              </td>
              <td>
                <div className="actions">
                  {!held && (
                    <Button
                      variant={selected === request.requestId ? 'primary' : 'secondary'}
                      aria-pressed={selected === request.requestId}
                      onClick={() => onSelect(request.requestId)}
                      aria-label={`Recommend beds for ${name}`}
                    >
                      Recommend beds
                    </Button>
                  )}
                  {held && (
                    <Button
                      variant="secondary"
                      busy={action.busy === `release-${request.requestId}`}
                      busyLabel="Releasing"
                      onClick={() =>
                        void action.run(`release-${request.requestId}`, () =>
                          endpoints.release(request.requestId, held.reservationId),
                        )
                      }
                    >
                      Release bed
                    </Button>
                  )}
                </div>
                <ActionError action={action} item={`release-${request.requestId}`} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RecommendationView({
  recommendation,
  request,
  action,
  beds,
}: {
  recommendation: BedRecommendation;
  request: OpenBedRequest | undefined;
  action: Action;
  beds: BoardRow[];
}) {
  const [showAll, setShowAll] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [hoursText, setHoursText] = useState('24');
  const [hoursError, setHoursError] = useState<string | null>(null);
  const [reserved, setReserved] = useState<string | null>(null);
  const ranked = showAll ? recommendation.ranked : recommendation.ranked.slice(0, SHOWN_RANKED);

  const reserve = async (bedId: string) => {
    const n = Number(hoursText);
    if (!/^\d+$/.test(hoursText.trim()) || n < 1 || n > MAX_HOLD_HOURS) {
      setHoursError(`Enter whole hours from 1 to ${MAX_HOLD_HOURS}`);
      return;
    }
    setHoursError(null);
    const ok = await action.run(`reserve-${bedId}`, () => endpoints.reserve(recommendation.requestId, bedId, n));
    if (ok) {
      setConfirming(null);
      setReserved(bedId);
    }
  };

  if (request?.reservation || reserved) {
    const bedId = request?.reservation?.bedId ?? reserved;
    const bed = beds.find((b) => b.bedId === bedId) ?? recommendation.ranked.find((r) => r.bedId === bedId);
    return (
      <p className="inset" role="status" data-testid="reserved-notice">
        <Tag tone="green">Reserved</Tag> {bed?.label ?? bedId}
        {bed?.siteName && !bed.label?.startsWith(bed.siteName) ? ` at ${bed.siteName}` : ''}
        {request?.reservation ? `, held until ${formatInstant(request.reservation.expiresAt)}` : ''}.
      </p>
    );
  }

  return (
    <>
      <p data-testid="recommendation-summary">{recommendation.summary}</p>
      {recommendation.noBedFits && (
        <div className="error-summary" role="alert">
          <h3 className="error-summary__title">No bed fits</h3>
          <p>Every bed was excluded; the reasons are below. Consider a spot purchase or escalation.</p>
        </div>
      )}
      {ranked.length > 0 && (
        <ol className="ranked" data-testid="ranked-beds">
          {ranked.map((bed) => (
            <li key={bed.bedId} className="ranked__item" data-bed-id={bed.bedId}>
              <div className="ranked__head">
                <span className="ranked__rank" aria-hidden="true">
                  {bed.rank}
                </span>
                <div className="ranked__title">
                  <strong>{bed.label ?? bed.bedId}</strong>
                  <div className="hint">
                    {bed.siteName} · tier {bed.tier} · {BED_CATEGORY_LABELS[bed.category ?? ''] ?? bed.category}
                  </div>
                </div>
                {confirming !== bed.bedId && (
                  <Button
                    variant={bed.rank === 1 ? 'primary' : 'secondary'}
                    onClick={() => {
                      action.clear();
                      setHoursError(null);
                      setConfirming(bed.bedId);
                    }}
                    aria-label={`Reserve ${bed.label ?? bed.bedId}`}
                  >
                    Reserve…
                  </Button>
                )}
              </div>
              <ul className="ranked__reasons">
                {bed.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
              {confirming === bed.bedId && (
                <div className="confirm confirm--neutral" role="group" aria-label={`Confirm reserving ${bed.label ?? bed.bedId}`}>
                  <p>
                    Reserve <strong>{bed.label ?? bed.bedId}</strong> for this person? Nobody else can be placed in it while it is
                    held.
                  </p>
                  <div className="inline-form">
                    <Field id={`hold-${bed.bedId}`} label="Hold for (hours)" hint={`1 to ${MAX_HOLD_HOURS}`} error={hoursError}>
                      <input
                        id={`hold-${bed.bedId}`}
                        className={`input input--width-4${hoursError ? ' input--error' : ''}`}
                        inputMode="numeric"
                        value={hoursText}
                        onChange={(e) => setHoursText(e.target.value)}
                        aria-invalid={!!hoursError || undefined}
                        aria-describedby={describedBy(`hold-${bed.bedId}`, { hint: true, error: hoursError })}
                      />
                    </Field>
                    <Button
                      busy={action.busy === `reserve-${bed.bedId}`}
                      busyLabel="Reserving"
                      onClick={() => void reserve(bed.bedId)}
                    >
                      Confirm reservation
                    </Button>
                    <Button variant="secondary" onClick={() => setConfirming(null)} disabled={action.busy !== null}>
                      Cancel
                    </Button>
                  </div>
                  <ActionError action={action} item={`reserve-${bed.bedId}`} />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {recommendation.ranked.length > SHOWN_RANKED && (
        <Button variant="link" onClick={() => setShowAll(!showAll)}>
          {showAll ? `Show the best ${SHOWN_RANKED} only` : `Show all ${recommendation.ranked.length} beds that fit`}
        </Button>
      )}
      {recommendation.excluded.length > 0 && (
        <details className="details" data-testid="excluded-beds">
          <summary>
            {recommendation.excluded.length} {recommendation.excluded.length === 1 ? 'bed' : 'beds'} excluded, and why
          </summary>
          <table className="table">
            <caption className="visually-hidden">Excluded beds and the reasons</caption>
            <thead>
              <tr>
                <th scope="col">Bed</th>
                <th scope="col">Why not</th>
              </tr>
            </thead>
            <tbody>
              {recommendation.excluded.map((bed) => (
                <tr key={bed.bedId}>
                  <td>{bed.bedId}</td>
                  <td>{bed.reasons.map((r) => r.replace(/^Excluded: /, '')).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}

function Board({ rows, names, action }: { rows: BoardRow[]; names: Names; action: Action }) {
  const ref = useReferenceData();
  const [status, setStatus] = useState('');
  const [site, setSite] = useState('');
  const sites = useMemo(() => {
    const bySite = new Map<string, BoardRow[]>();
    for (const row of rows) bySite.set(row.siteId, [...(bySite.get(row.siteId) ?? []), row]);
    return [...bySite.entries()]
      .map(([siteId, beds]) => ({ siteId, beds, first: beds[0], tier: Math.min(...beds.map((b) => b.tier)) }))
      .sort((a, b) => a.tier - b.tier || a.first.siteName.localeCompare(b.first.siteName));
  }, [rows]);
  const areaName = (code: string) => ref.areas.find((a) => a.code === code)?.name ?? code;

  return (
    <>
      <div className="inline-form">
        <Field id="board-status" label="Status">
          <Select
            id="board-status"
            value={status}
            onChange={setStatus}
            placeholder="All statuses"
            options={Object.entries(BED_STATUS_LABELS).map(([code, { text }]) => [code, text] as const)}
          />
        </Field>
        <Field id="board-site" label="Site">
          <Select
            id="board-site"
            value={site}
            onChange={setSite}
            placeholder="All sites"
            options={sites.map((s) => [s.siteId, s.first.siteName] as const)}
          />
        </Field>
      </div>
      {sites
        .filter((s) => !site || s.siteId === site)
        .map((s) => {
          const beds = s.beds.filter((b) => !status || b.status === status);
          if (beds.length === 0) return null;
          const inUse = s.beds.some((b) => b.status === 'reserved' || b.status === 'occupied');
          const free = s.beds.filter((b) => b.status === 'open').length;
          return (
            <details key={s.siteId} className="site" open={inUse || !!site || !!status} data-site-id={s.siteId}>
              <summary className="site__summary">
                <span className="site__name">{s.first.siteName}</span>{' '}
                <span className="hint">
                  {areaName(s.first.locality)} · tier {s.tier} · {free} of {s.beds.length} available
                </span>
              </summary>
              <table className="table table--compact" data-testid={`site-${s.siteId}`}>
                <caption className="visually-hidden">Beds at {s.first.siteName}</caption>
                <thead>
                  <tr>
                    <th scope="col">Bed</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Since</th>
                    <th scope="col">Person</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {beds.map((bed) => (
                    <BedRow key={bed.bedId} bed={bed} names={names} action={action} />
                  ))}
                </tbody>
              </table>
            </details>
          );
        })}
    </>
  );
}

function BedRow({ bed, names, action }: { bed: BoardRow; names: Names; action: Action }) {
  const [leaving, setLeaving] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [outcomeError, setOutcomeError] = useState<string | null>(null);
  const status = BED_STATUS_LABELS[bed.status];
  const leaveId = `leave-outcome-${bed.bedId}`;
  const leave = async () => {
    if (!outcome) return setOutcomeError('Choose where the person went');
    setOutcomeError(null);
    if (await action.run(`leave-${bed.bedId}`, () => endpoints.leaveBed(bed.bedId, outcome))) setLeaving(false);
  };
  return (
    <tr data-bed-id={bed.bedId} data-status={bed.status}>
      <td>
        {bed.label}
        <div className="hint">
          {bed.bedId}
          {bed.capabilities.length ? ` · ${bed.capabilities.map((c) => CAPABILITY_LABELS[c] ?? c).join(', ')}` : ''}
          {bed.baySex !== 'single-room' ? ` · ${bed.baySex} bay` : ' · single room'}
        </div>
      </td>
      <td>{bed.tier}</td>
      <td>
        P{bed.pathway} {BED_CATEGORY_LABELS[bed.category] ?? bed.category}
        <div className="hint">{FUNDING_LABELS[bed.funding] ?? bed.funding}</div>
      </td>
      <td>
        <Tag tone={status.tone}>{status.text}</Tag>
        {bed.closureReason && <div className="hint">{bed.closureReason}</div>}
      </td>
      <td>
        {formatInstant(bed.since)}
        {bed.reservationExpiresAt && <div className="hint">held until {formatInstant(bed.reservationExpiresAt)}</div>}
      </td>
      <td>{bed.caseId ? <Link to={`/cases/${bed.caseId}`}>{names.get(bed.caseId) ?? 'Person'}</Link> : '—'}</td>
      <td>
        {bed.status === 'reserved' && bed.requestId && bed.reservationId && (
          <Button
            variant="secondary"
            busy={action.busy === `release-bed-${bed.bedId}`}
            busyLabel="Releasing"
            onClick={() =>
              void action.run(`release-bed-${bed.bedId}`, () => endpoints.release(bed.requestId!, bed.reservationId!))
            }
            aria-label={`Release ${bed.label}`}
          >
            Release
          </Button>
        )}
        {bed.status === 'occupied' && !leaving && (
          <Button variant="secondary" onClick={() => setLeaving(true)} aria-label={`Record that the person left ${bed.label}`}>
            Left bed…
          </Button>
        )}
        {bed.status === 'occupied' && leaving && (
          <div className="confirm confirm--neutral">
            <Field id={leaveId} label="Outcome" error={outcomeError}>
              <Select
                id={leaveId}
                value={outcome}
                onChange={setOutcome}
                placeholder="Choose"
                options={LEAVING_OUTCOMES}
                aria-invalid={!!outcomeError || undefined}
                aria-describedby={describedBy(leaveId, { error: outcomeError })}
              />
            </Field>
            <div className="actions">
              <Button busy={action.busy === `leave-${bed.bedId}`} busyLabel="Recording" onClick={() => void leave()}>
                Record
              </Button>
              <Button variant="secondary" onClick={() => setLeaving(false)}>
                Cancel
              </Button>
            </div>
          </div>
        )}
        <ActionError action={action} item={`release-bed-${bed.bedId}`} />
        <ActionError action={action} item={`leave-${bed.bedId}`} />
      </td>
    </tr>
  );
}
