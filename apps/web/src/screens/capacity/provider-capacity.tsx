import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { PackageSummary, ProviderScreen } from '../../api/types';
import { ActionError, useAction, type Action } from '../../components/action';
import { ErrorPanel, Tag, useLoad } from '../../components/common';
import { Button, ErrorSummary, Field, Select, Spinner, describedBy } from '../../components/forms';
import { DECLINE_REASONS, PACKAGE_OUTCOMES, PACKAGE_STATUS, REVIEW_PROGRESS, addDays } from '../../domain/capacity-codes';
import { formatDate, formatInstant, londonToday } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { useReferenceData } from '../../reference-data';
import { useUser } from '../../session';
import { CapacityGrid, WorkforceFlag } from './capacity-grid';

const HORIZON_DAYS = 14;

/** A provider's own screen: the daily capacity return, its offers to accept or decline, and its packages. */
export function ProviderCapacity() {
  const user = useUser();
  const providerId = user.organisation;
  const view = useLoad(() => endpoints.providerView(providerId), `provider-${providerId}`);
  useLiveView('capacity', () => void view.reload());
  const action = useAction(() => view.reload());

  if (view.error && !view.data) return <ErrorPanel error={view.error} />;
  if (!view.data) return <Spinner label="Loading your capacity" />;
  const data = view.data;
  return (
    <div>
      <h1>Home-care capacity</h1>
      <p className="lede">
        {data.name.replace(/ \(illustrative\)$/, '')}: your daily capacity return, the packages offered to you, and the people you
        care for.
      </p>
      <Offers data={data} action={action} />
      <CapacityReturn data={data} onSaved={() => view.reload()} />
      <section aria-labelledby="own-grid-heading" className="section">
        <h2 id="own-grid-heading">Your capacity, today and the next {HORIZON_DAYS} days</h2>
        <p>
          Staffing today: <WorkforceFlag workforce={data.workforce} />
        </p>
        <CapacityGrid
          caption="Your capacity by locality and day"
          dates={data.localities[0]?.days.map((d) => d.date) ?? []}
          providers={[data]}
          showProvider={false}
        />
      </section>
      <Packages packages={data.packages} action={action} />
    </div>
  );
}

// ─── The daily capacity return ─────────────────────────────────────────────────────────────────────────────

interface ReturnForm {
  locality: string;
  date: string;
  hoursPerWeek: string;
  newPackages: string;
  careWorkersRostered: string;
  careWorkersAbsent: string;
}

const LABELS: Record<keyof ReturnForm, string> = {
  locality: 'Locality',
  date: 'Date',
  hoursPerWeek: 'New care hours a week you can start',
  newPackages: 'New packages you can take',
  careWorkersRostered: 'Care workers rostered',
  careWorkersAbsent: 'Of those, absent',
};

/** Client-side checks with the server's words; the server checks again and its answer lands on the same fields. */
function validate(form: ReturnForm, today: string): Partial<Record<keyof ReturnForm, string>> {
  const errors: Partial<Record<keyof ReturnForm, string>> = {};
  const last = addDays(today, HORIZON_DAYS);
  if (!form.locality) errors.locality = 'Choose the locality';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) errors.date = 'Enter the date, for example 25/11/2026';
  else if (form.date < today)
    errors.date = `${formatDate(form.date)} is in the past: capacity can be declared from today (${formatDate(today)})`;
  else if (form.date > last)
    errors.date = `${formatDate(form.date)} is more than ${HORIZON_DAYS} days ahead: the last date you can declare is ${formatDate(last)}`;
  const hoursText = form.hoursPerWeek.trim();
  if (hoursText === '') errors.hoursPerWeek = 'Enter the hours a week (0 if none)';
  else if (!/^\d+(\.\d{1,2})?$/.test(hoursText) || Number(hoursText) > 10_000)
    errors.hoursPerWeek = 'Hours a week must be a number from 0 to 10,000, with at most 2 decimal places';
  const packagesText = form.newPackages.trim();
  if (packagesText === '') errors.newPackages = 'Enter the number of new packages (0 if none)';
  else if (!/^\d+$/.test(packagesText) || Number(packagesText) > 1_000)
    errors.newPackages = 'New packages must be a whole number from 0 to 1,000';
  const rostered = form.careWorkersRostered.trim();
  const absent = form.careWorkersAbsent.trim();
  if (rostered || absent) {
    if (!/^\d+$/.test(rostered)) errors.careWorkersRostered = 'Care workers rostered must be a whole number';
    if (!/^\d+$/.test(absent)) errors.careWorkersAbsent = 'Care workers absent must be a whole number (0 if none)';
    else if (/^\d+$/.test(rostered) && Number(absent) > Number(rostered))
      errors.careWorkersAbsent = 'More care workers absent than rostered: check both figures';
  }
  return errors;
}

const SERVER_FIELD: Record<string, keyof ReturnForm> = {
  locality: 'locality',
  date: 'date',
  hoursPerWeek: 'hoursPerWeek',
  newPackages: 'newPackages',
  'staffing.careWorkersRostered': 'careWorkersRostered',
  'staffing.careWorkersAbsent': 'careWorkersAbsent',
};
const CODE_FIELD: Record<string, keyof ReturnForm> = {
  CAPACITY_DATE_IN_PAST: 'date',
  CAPACITY_DATE_TOO_FAR_AHEAD: 'date',
  ABSENT_EXCEEDS_ROSTERED: 'careWorkersAbsent',
  LOCALITY_NOT_SERVED: 'locality',
};

function CapacityReturn({ data, onSaved }: { data: ProviderScreen; onSaved: () => Promise<void> }) {
  const ref = useReferenceData();
  const today = londonToday();
  const [form, setForm] = useState<ReturnForm>({
    locality: data.localities.length === 1 ? data.localities[0].locality : '',
    date: today,
    hoursPerWeek: '',
    newPackages: '',
    careWorkersRostered: '',
    careWorkersAbsent: '',
  });
  const [errors, setErrors] = useState<Partial<Record<keyof ReturnForm, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const set = (field: keyof ReturnForm) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    // Re-check a field once it has been flagged, so the message goes as soon as it is fixed.
    if (errors[field]) setErrors((e) => ({ ...e, [field]: validate({ ...form, [field]: value }, today)[field] }));
  };
  const areaName = (code: string) => ref.areas.find((a) => a.code === code)?.name ?? code;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    setProblem(null);
    const found = validate(form, today);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const staffing =
        form.careWorkersRostered.trim() !== ''
          ? { careWorkersRostered: Number(form.careWorkersRostered), careWorkersAbsent: Number(form.careWorkersAbsent) }
          : undefined;
      await endpoints.declareCapacity(data.providerId, {
        locality: form.locality,
        date: form.date,
        hoursPerWeek: Number(form.hoursPerWeek),
        newPackages: Number(form.newPackages),
        ...(staffing && { staffing }),
      });
      setSaved(
        `Recorded: ${form.hoursPerWeek} hours a week and ${form.newPackages} new packages in ${areaName(form.locality)} on ${formatDate(form.date)}.`,
      );
      await onSaved();
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'ERROR', 'Something went wrong. Try again.');
      const byField: Partial<Record<keyof ReturnForm, string>> = {};
      for (const f of error.fieldErrors) {
        const field = SERVER_FIELD[f.field];
        if (field) byField[field] ??= f.message;
      }
      const coded = CODE_FIELD[error.code];
      if (coded) byField[coded] = error.message;
      setErrors(byField);
      if (Object.keys(byField).length === 0) setProblem(error.message);
    } finally {
      setBusy(false);
    }
  };

  const items = (Object.keys(errors) as (keyof ReturnForm)[])
    .filter((k) => errors[k])
    .map((k) => ({ field: `return-${k}`, message: errors[k]! }));
  const input = (field: keyof ReturnForm, props: { hint?: string; inputMode?: 'numeric' | 'decimal'; width?: string } = {}) => {
    const id = `return-${field}`;
    return (
      <Field id={id} label={LABELS[field]} hint={props.hint} error={errors[field]}>
        <input
          id={id}
          name={field}
          className={`input input--width-${props.width ?? '10'}${errors[field] ? ' input--error' : ''}`}
          inputMode={props.inputMode ?? 'numeric'}
          value={form[field]}
          onChange={(e) => set(field)(e.target.value)}
          aria-invalid={!!errors[field] || undefined}
          aria-describedby={describedBy(id, { hint: props.hint, error: errors[field] })}
        />
      </Field>
    );
  };

  return (
    <section aria-labelledby="return-heading" className="section panel">
      <h2 id="return-heading">Daily capacity return</h2>
      <p className="hint">
        For today or up to {HORIZON_DAYS} days ahead. A second return for the same locality and day corrects the first.
      </p>
      <ErrorSummary items={items} message={problem} />
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="capacity-return">
        <div className="row">
          <Field id="return-locality" label={LABELS.locality} error={errors.locality}>
            <Select
              id="return-locality"
              value={form.locality}
              onChange={set('locality')}
              placeholder="Choose"
              options={data.localities.map((l) => [l.locality, areaName(l.locality)] as const)}
              aria-invalid={!!errors.locality || undefined}
              aria-describedby={describedBy('return-locality', { error: errors.locality })}
            />
          </Field>
          <Field
            id="return-date"
            label={LABELS.date}
            hint={`${formatDate(today)} to ${formatDate(addDays(today, HORIZON_DAYS))}`}
            error={errors.date}
          >
            <input
              type="date"
              id="return-date"
              name="date"
              className={`input${errors.date ? ' input--error' : ''}`}
              value={form.date}
              onChange={(e) => set('date')(e.target.value)}
              aria-invalid={!!errors.date || undefined}
              aria-describedby={describedBy('return-date', { hint: true, error: errors.date })}
            />
          </Field>
        </div>
        <div className="row">
          {input('hoursPerWeek', { inputMode: 'decimal' })}
          {input('newPackages')}
        </div>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Staffing (optional)</legend>
          <p className="hint">More than 10% of care workers absent flags your workforce at risk to the hub.</p>
          <div className="row">
            {input('careWorkersRostered')}
            {input('careWorkersAbsent')}
          </div>
        </fieldset>
        <Button type="submit" busy={busy} busyLabel="Sending">
          Send capacity return
        </Button>
        {saved && (
          <p className="inset" role="status" data-testid="return-saved">
            {saved}
          </p>
        )}
      </form>
    </section>
  );
}

// ─── Offers ──────────────────────────────────────────────────────────────────────────────────────────────

function Offers({ data, action }: { data: ProviderScreen; action: Action }) {
  const ref = useReferenceData();
  return (
    <section aria-labelledby="offers-heading" className="section">
      <h2 id="offers-heading">Packages offered to you</h2>
      {data.offers.length === 0 && <p className="inset">No open offers.</p>}
      {data.offers.length > 0 && (
        <table className="table" data-testid="offers">
          <caption className="visually-hidden">Open offers, soonest to lapse first</caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col" className="numeric">
                Hours a week
              </th>
              <th scope="col">Starts on</th>
              <th scope="col">Answer by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.offers.map((offer) => (
              <OfferRow
                key={offer.offerId}
                offer={offer}
                area={ref.areas.find((a) => a.code === offer.area)?.name ?? offer.area}
                action={action}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function OfferRow({ offer, area, action }: { offer: ProviderScreen['offers'][number]; area: string; action: Action }) {
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const id = `decline-${offer.offerId}`;
  const path = `offers/${offer.offerId}`;
  return (
    <tr data-offer-id={offer.offerId}>
      <td>{area}</td>
      <td className="numeric">{offer.hoursPerWeek}</td>
      <td>{formatDate(offer.startOn)}</td>
      <td>{formatInstant(offer.expiresAt)}</td>
      <td>
        {!declining && (
          <div className="actions">
            <Button
              busy={action.busy === `accept-${offer.offerId}`}
              busyLabel="Accepting"
              onClick={() =>
                void action.run(`accept-${offer.offerId}`, () => endpoints.packageAction(offer.packageId, `${path}/accept`))
              }
            >
              Accept
            </Button>
            <Button variant="secondary" onClick={() => setDeclining(true)}>
              Decline…
            </Button>
          </div>
        )}
        {declining && (
          <div className="confirm confirm--neutral">
            <Field id={id} label="Why decline?" error={reasonError}>
              <Select
                id={id}
                value={reason}
                onChange={setReason}
                placeholder="Choose a reason"
                options={DECLINE_REASONS}
                aria-invalid={!!reasonError || undefined}
                aria-describedby={describedBy(id, { error: reasonError })}
              />
            </Field>
            <div className="actions">
              <Button
                variant="warning"
                busy={action.busy === `decline-${offer.offerId}`}
                busyLabel="Declining"
                onClick={() => {
                  if (!reason) return setReasonError('Choose why you are declining');
                  setReasonError(null);
                  void action.run(`decline-${offer.offerId}`, () =>
                    endpoints.packageAction(offer.packageId, `${path}/decline`, { reason }),
                  );
                }}
              >
                Decline offer
              </Button>
              <Button variant="secondary" onClick={() => setDeclining(false)}>
                Cancel
              </Button>
            </div>
          </div>
        )}
        <ActionError action={action} item={`accept-${offer.offerId}`} />
        <ActionError action={action} item={`decline-${offer.offerId}`} />
      </td>
    </tr>
  );
}

// ─── Packages ────────────────────────────────────────────────────────────────────────────────────────────

function Packages({ packages, action }: { packages: PackageSummary[]; action: Action }) {
  const ref = useReferenceData();
  const current = packages.filter((p) => p.status === 'accepted' || p.status === 'active');
  const past = packages.filter((p) => p.status === 'ended' || p.status === 'cancelled');
  return (
    <section aria-labelledby="packages-heading" className="section">
      <h2 id="packages-heading">Your packages</h2>
      {current.length === 0 && <p className="inset">No packages placed with you are waiting to start or running.</p>}
      {current.length > 0 && (
        <table className="table" data-testid="packages">
          <caption className="visually-hidden">Packages placed with you</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Area</th>
              <th scope="col" className="numeric">
                Hours a week
              </th>
              <th scope="col">Start</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {current.map((p) => (
              <PackageRow
                key={p.packageId}
                pkg={p}
                area={ref.areas.find((a) => a.code === p.area)?.name ?? p.area}
                action={action}
              />
            ))}
          </tbody>
        </table>
      )}
      {past.length > 0 && (
        <details className="details">
          <summary>{past.length} ended or cancelled</summary>
          <ul>
            {past.map((p) => (
              <li key={p.packageId}>
                {PACKAGE_STATUS[p.status].text}: {ref.areas.find((a) => a.code === p.area)?.name ?? p.area}, {p.hoursPerWeek}{' '}
                hours a week{p.endedOn ? `, ended ${formatDate(p.endedOn)}` : ''}
                {p.outcome ? ` (${PACKAGE_OUTCOMES.find(([c]) => c === p.outcome)?.[1] ?? p.outcome})` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

type Mode = null | 'start' | 'review' | 'end';

function PackageRow({ pkg, area, action }: { pkg: PackageSummary; area: string; action: Action }) {
  const today = londonToday();
  const [mode, setMode] = useState<Mode>(null);
  const [date, setDate] = useState(today);
  const [progress, setProgress] = useState('');
  const [hoursNow, setHoursNow] = useState(String(pkg.hoursPerWeekNow));
  const [outcome, setOutcome] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const key = `${mode}-${pkg.packageId}`;
  const id = (field: string) => `${field}-${pkg.packageId}`;
  const status = PACKAGE_STATUS[pkg.status];

  const submit = async () => {
    const found: Record<string, string> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) found.date = 'Enter the date';
    else if (date > today) found.date = 'The date cannot be in the future';
    if (mode === 'review') {
      if (!progress) found.progress = 'Choose the progress against goals';
      if (!/^\d+(\.\d{1,2})?$/.test(hoursNow.trim()) || Number(hoursNow) > 168)
        found.hoursNow = 'Hours a week must be a number from 0 to 168';
    }
    if (mode === 'end' && !outcome) found.outcome = 'Choose the outcome';
    setErrors(found);
    if (Object.keys(found).length) return;
    const body =
      mode === 'start'
        ? { startedOn: date }
        : mode === 'review'
          ? { reviewedOn: date, progress, hoursPerWeekNow: Number(hoursNow) }
          : { outcome, endedOn: date };
    const action_ = mode === 'start' ? 'start' : mode === 'review' ? 'reviews' : 'end';
    if (await action.run(key, () => endpoints.packageAction(pkg.packageId, action_, body))) setMode(null);
  };

  const dateLabel = mode === 'start' ? 'Care started on' : mode === 'review' ? 'Reviewed on' : 'Ended on';
  return (
    <tr data-package-id={pkg.packageId}>
      <td>
        <Tag tone={status.tone}>{status.text}</Tag>
      </td>
      <td>{area}</td>
      <td className="numeric">
        {pkg.hoursPerWeekNow}
        {pkg.hoursPerWeekNow !== pkg.hoursPerWeek && <div className="hint">requested {pkg.hoursPerWeek}</div>}
      </td>
      <td>{pkg.startedOn ? `Started ${formatDate(pkg.startedOn)}` : pkg.startOn ? `Due ${formatDate(pkg.startOn)}` : '—'}</td>
      <td>
        {mode === null && (
          <div className="actions">
            {pkg.status === 'accepted' && (
              <Button variant="secondary" onClick={() => setMode('start')}>
                Record start…
              </Button>
            )}
            {pkg.status === 'active' && (
              <>
                <Button variant="secondary" onClick={() => setMode('review')}>
                  Review…
                </Button>
                <Button variant="secondary" onClick={() => setMode('end')}>
                  End…
                </Button>
              </>
            )}
          </div>
        )}
        {mode !== null && (
          <div className="confirm confirm--neutral">
            <Field id={id('date')} label={dateLabel} error={errors.date}>
              <input
                type="date"
                id={id('date')}
                className={`input${errors.date ? ' input--error' : ''}`}
                value={date}
                max={today}
                onChange={(e) => setDate(e.target.value)}
                aria-invalid={!!errors.date || undefined}
                aria-describedby={describedBy(id('date'), { error: errors.date })}
              />
            </Field>
            {mode === 'review' && (
              <>
                <Field id={id('progress')} label="Progress against goals" error={errors.progress}>
                  <Select
                    id={id('progress')}
                    value={progress}
                    onChange={setProgress}
                    placeholder="Choose"
                    options={REVIEW_PROGRESS}
                  />
                </Field>
                <Field id={id('hoursNow')} label="Hours a week needed now" error={errors.hoursNow}>
                  <input
                    id={id('hoursNow')}
                    className={`input input--width-4${errors.hoursNow ? ' input--error' : ''}`}
                    inputMode="decimal"
                    value={hoursNow}
                    onChange={(e) => setHoursNow(e.target.value)}
                    aria-invalid={!!errors.hoursNow || undefined}
                  />
                </Field>
              </>
            )}
            {mode === 'end' && (
              <Field id={id('outcome')} label="Outcome" error={errors.outcome}>
                <Select
                  id={id('outcome')}
                  value={outcome}
                  onChange={setOutcome}
                  placeholder="Choose"
                  options={PACKAGE_OUTCOMES}
                />
              </Field>
            )}
            <div className="actions">
              <Button busy={action.busy === key} busyLabel="Saving" onClick={() => void submit()}>
                {mode === 'start' ? 'Record start' : mode === 'review' ? 'Record review' : 'End package'}
              </Button>
              <Button variant="secondary" onClick={() => setMode(null)}>
                Cancel
              </Button>
            </div>
            <ActionError action={action} item={key} />
          </div>
        )}
      </td>
    </tr>
  );
}
