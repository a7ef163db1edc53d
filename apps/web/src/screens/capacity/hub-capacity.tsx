import { useMemo, useState } from 'react';
import { endpoints } from '../../api/endpoints';
import type { LedgerGrid, ProviderListItem, WaitingPackage } from '../../api/types';
import { ActionError, useAction, type Action } from '../../components/action';
import { ErrorPanel, Tag, useLoad } from '../../components/common';
import { Button, Field, Select, Spinner, describedBy } from '../../components/forms';
import { OVERRIDE_REASONS, PACKAGE_STATUS, addDays } from '../../domain/capacity-codes';
import { formatDate, formatInstant, londonToday } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { useReferenceData } from '../../reference-data';
import { Link } from '../../router';
import { CapacityGrid, WorkforceFlag } from './capacity-grid';

/** The hub's D2A view: the capacity ledger grid (today + 14 days) and the people waiting, with Offer. */
export function HubCapacity() {
  const ledger = useLoad(() => endpoints.ledger(), 'ledger');
  const waiting = useLoad(endpoints.waiting, 'waiting');
  const providers = useLoad(endpoints.providers, 'providers');
  const cases = useLoad(() => endpoints.cases(), 'capacity-cases');
  const reload = async () => {
    await Promise.all([ledger.reload(), waiting.reload()]);
  };
  useLiveView('capacity', () => void reload());
  const names = useMemo(
    () => new Map((cases.data ?? []).map((c) => [c.caseId, c.person?.name ?? 'Identity erased'])),
    [cases.data],
  );
  const action = useAction(reload);
  const [locality, setLocality] = useState('');
  const ref = useReferenceData();

  return (
    <div>
      <h1>Home-care capacity</h1>
      <p className="lede">
        Discharge-to-assess home care: hours a week each provider can start, by locality, today and the next 14 days. Free =
        declared − held − committed.
      </p>
      <section aria-labelledby="waiting-heading" className="section">
        <h2 id="waiting-heading">Waiting for a package</h2>
        {waiting.error ? <ErrorPanel error={waiting.error} /> : null}
        {!waiting.data && !waiting.error && <Spinner label="Loading the waiting list" />}
        {waiting.data && waiting.data.length === 0 && <p className="inset">Nobody is waiting for a home-care package.</p>}
        {waiting.data && waiting.data.length > 0 && (
          <table className="table" data-testid="waiting-list">
            <caption className="visually-hidden">People waiting for a home-care package, longest first</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  Days waiting
                </th>
                <th scope="col">Person</th>
                <th scope="col">Area</th>
                <th scope="col" className="numeric">
                  Hours a week
                </th>
                <th scope="col">Status</th>
                <th scope="col">Offers</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {waiting.data.map((row) => (
                <WaitingRow
                  key={row.packageId}
                  row={row}
                  name={row.caseId ? (names.get(row.caseId) ?? 'Person') : 'Community referral'}
                  providers={providers.data ?? []}
                  ledger={ledger.data}
                  action={action}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="grid-heading" className="section">
        <h2 id="grid-heading">Capacity ledger</h2>
        {ledger.error ? <ErrorPanel error={ledger.error} /> : null}
        {!ledger.data && !ledger.error && <Spinner label="Loading the capacity ledger" />}
        {ledger.data && (
          <>
            <p data-testid="workforce-system">
              Workforce today across providers that gave staffing figures:{' '}
              <WorkforceFlag workforce={ledger.data.workforce.system} />
              {ledger.data.workforce.providersAtRisk.length > 0 && (
                <>
                  {' '}
                  · over 10% absent:{' '}
                  {ledger.data.workforce.providersAtRisk
                    .map(
                      (id) =>
                        ledger.data!.providers.find((p) => p.providerId === id)?.name.replace(/ \(illustrative\)$/, '') ?? id,
                    )
                    .join(', ')}
                </>
              )}
            </p>
            <div className="inline-form">
              <Field id="grid-locality" label="Locality">
                <Select
                  id="grid-locality"
                  value={locality}
                  onChange={setLocality}
                  placeholder="All localities"
                  options={ref.areas.map((a) => [a.code, a.name] as const)}
                />
              </Field>
            </div>
            <CapacityGrid
              caption={`Capacity ledger ${formatDate(ledger.data.from)} to ${formatDate(ledger.data.to)}`}
              dates={ledger.data.dates}
              providers={ledger.data.providers
                .map((p) => ({ ...p, localities: p.localities.filter((l) => !locality || l.locality === locality) }))
                .filter((p) => p.localities.length > 0)}
              totals={ledger.data.byLocality.filter((l) => !locality || l.locality === locality)}
            />
            <p className="hint">
              Each cell: free hours a week (large), then of declared · H held by open offers · C committed to accepted packages;
              then free/declared new packages. Red outline: more than 10% of the provider’s care workers absent. Red fill: more
              held and committed than declared. “–”: no return for that day.
            </p>
          </>
        )}
      </section>
    </div>
  );
}

function WaitingRow({
  row,
  name,
  providers,
  ledger,
  action,
}: {
  row: WaitingPackage;
  name: string;
  providers: ProviderListItem[];
  ledger: LedgerGrid | undefined;
  action: Action;
}) {
  const ref = useReferenceData();
  const today = londonToday();
  const [open, setOpen] = useState(false);
  const [providerId, setProviderId] = useState('');
  const [startOn, setStartOn] = useState(today);
  const [override, setOverride] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const key = `offer-${row.packageId}`;
  const id = (field: string) => `${field}-${row.packageId}`;
  const eligible = providers.filter((p) => p.status === 'active' && p.localities.includes(row.area));
  const freeOn = (provider: string, date: string) =>
    ledger?.providers
      .find((p) => p.providerId === provider)
      ?.localities.find((l) => l.locality === row.area)
      ?.days.find((d) => d.date === date);

  const submit = async () => {
    const found: Record<string, string> = {};
    if (!providerId) found.providerId = 'Choose a provider';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startOn)) found.startOn = 'Enter the date care would start';
    else if (startOn < today) found.startOn = 'The start date cannot be in the past';
    else if (startOn > addDays(today, 14))
      found.startOn = `The start date can be at most 14 days ahead (${formatDate(addDays(today, 14))})`;
    setErrors(found);
    if (Object.keys(found).length) return;
    const ok = await action.run(key, () =>
      endpoints.offerPackage(row.packageId, { providerId, startOn, ...(override ? { overrideReason: override } : {}) }),
    );
    if (ok) {
      setOpen(false);
      setOverride('');
    }
  };
  const serverError = action.errorFor === key ? action.error : null;
  const notFree = serverError?.code === 'CAPACITY_NOT_FREE';
  const status = PACKAGE_STATUS[row.status];
  const cell = providerId ? freeOn(providerId, startOn) : undefined;

  return (
    <>
      <tr data-package-id={row.packageId}>
        <td className="numeric">
          <Tag tone={row.daysWaiting > 2 ? 'red' : row.daysWaiting > 0 ? 'yellow' : 'green'}>{row.daysWaiting}</Tag>
          <div className="hint">since {formatInstant(row.requestedAt)}</div>
        </td>
        <td>{row.caseId ? <Link to={`/cases/${row.caseId}`}>{name}</Link> : name}</td>
        <td>{ref.areas.find((a) => a.code === row.area)?.name ?? row.area}</td>
        <td className="numeric">{row.hoursPerWeek}</td>
        <td>
          <Tag tone={status.tone}>{status.text}</Tag>
        </td>
        <td>
          {row.offersOut} out
          {row.offersDeclined > 0 && <div className="hint">{row.offersDeclined} declined</div>}
        </td>
        <td>
          {row.status === 'requested' && !open && (
            <Button variant="secondary" onClick={() => setOpen(true)} aria-label={`Offer a package for ${name}`}>
              Offer…
            </Button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="row--selected">
          <td colSpan={7}>
            <div className="confirm confirm--neutral" role="group" aria-label={`Offer the package for ${name}`}>
              <div className="inline-form">
                <Field
                  id={id('providerId')}
                  label="Provider"
                  error={errors.providerId ?? (notFree ? serverError?.message : undefined)}
                >
                  <Select
                    id={id('providerId')}
                    value={providerId}
                    onChange={setProviderId}
                    placeholder="Choose"
                    options={eligible.map((p) => [p.providerId, p.name.replace(/ \(illustrative\)$/, '')] as const)}
                    aria-invalid={!!errors.providerId || notFree || undefined}
                    aria-describedby={describedBy(id('providerId'), { error: errors.providerId ?? notFree })}
                  />
                </Field>
                <Field id={id('startOn')} label="Care starts on" error={errors.startOn}>
                  <input
                    type="date"
                    id={id('startOn')}
                    className={`input${errors.startOn ? ' input--error' : ''}`}
                    value={startOn}
                    min={today}
                    max={addDays(today, 14)}
                    onChange={(e) => setStartOn(e.target.value)}
                    aria-invalid={!!errors.startOn || undefined}
                    aria-describedby={describedBy(id('startOn'), { error: errors.startOn })}
                  />
                </Field>
                <Field id={id('override')} label="Override (only if the hours are not free)">
                  <Select
                    id={id('override')}
                    value={override}
                    onChange={setOverride}
                    placeholder="No override"
                    options={OVERRIDE_REASONS}
                  />
                </Field>
                <Button busy={action.busy === key} busyLabel="Offering" onClick={() => void submit()}>
                  Send offer
                </Button>
                <Button variant="secondary" onClick={() => setOpen(false)}>
                  Cancel
                </Button>
              </div>
              {cell && (
                <p className="hint" data-testid="offer-free">
                  {cell.returned
                    ? `${cell.freeHours} hours a week and ${cell.freePackages} new packages free on ${formatDate(startOn)}; this package needs ${row.hoursPerWeek}.`
                    : `No capacity return for ${formatDate(startOn)}: an offer needs an override.`}
                </p>
              )}
              {!notFree && <ActionError action={action} item={key} />}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
