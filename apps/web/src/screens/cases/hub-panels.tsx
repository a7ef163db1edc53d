import { useState } from 'react';
import type { CaseView, Pathway, Role } from '../../api/types';
import { Button, describedBy, Field, Select } from '../../components/forms';
import {
  FOLLOW_UP_RESULTS,
  P2_BED_CATEGORIES,
  P3_BED_CATEGORIES,
  PATHWAY_LABELS,
  PATHWAY_REASONS,
  RETURN_REASONS,
  WITHDRAWAL_REASONS,
} from '../../domain/codes';
import { londonLocalToInstant, londonNowLocal } from '../../domain/time';
import { useReferenceData } from '../../reference-data';
import { CommandProblem, useCommand } from './use-command';

interface PanelProps {
  view: CaseView;
  refresh: () => Promise<void>;
}

function YesNo({
  id,
  legend,
  value,
  onChange,
  error,
}: {
  id: string;
  legend: string;
  value: boolean | null;
  onChange: (v: boolean) => void;
  error?: string;
}) {
  return (
    <fieldset className={`fieldset fieldset--nested${error ? ' form-group--error' : ''}`} id={id} tabIndex={-1}>
      <legend className="label">{legend}</legend>
      {error && <p className="error-message">{error}</p>}
      <div className="radios radios--inline">
        {[true, false].map((v) => (
          <div className="radios__item" key={String(v)}>
            <input
              className="radios__input"
              type="radio"
              id={`${id}-${v ? 'yes' : 'no'}`}
              name={id}
              checked={value === v}
              onChange={() => onChange(v)}
            />
            <label className="radios__label" htmlFor={`${id}-${v ? 'yes' : 'no'}`}>
              {v ? 'Yes' : 'No'}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

export function AcceptReturnPanel({ view, refresh }: PanelProps) {
  const command = useCommand(view.caseId, view.revision, refresh);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  return (
    <section className="panel panel--highlight" aria-labelledby="referral-heading" id="return">
      <h2 id="referral-heading">Referral awaiting the hub</h2>
      <CommandProblem command={command} />
      <Button busy={command.busy} busyLabel="Accepting" onClick={() => void command.run({ action: 'accept' })}>
        Accept referral
      </Button>
      <details className="details">
        <summary>Return it to the ward instead</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason) void command.run({ action: 'return', body: { reason, ...(note.trim() ? { note: note.trim() } : {}) } });
          }}
        >
          <Field id="return-reason" label="Reason" error={command.fieldError('reason')}>
            <Select
              id="return-reason"
              value={reason}
              onChange={setReason}
              options={RETURN_REASONS}
              placeholder="Choose a reason"
            />
          </Field>
          <Field id="return-note" label="Note for the ward (optional)">
            <textarea id="return-note" className="textarea" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <Button type="submit" variant="warning" busy={command.busy} busyLabel="Returning" disabled={!reason}>
            Return referral
          </Button>
        </form>
      </details>
    </section>
  );
}

/** Hub: any pathway with its details. Ward: pathway 0 only (the decider refuses the rest). */
export function PathwayPanel({ view, refresh, role }: PanelProps & { role: Role }) {
  const command = useCommand(view.caseId, view.revision, refresh);
  const plan = view.facts.plan;
  const [pathway, setPathway] = useState<Pathway | null>(plan?.pathway ?? null);
  const [reason, setReason] = useState(role === 'ward' ? 'simple-discharge' : 'mdt-assessment');
  const [homeCareNeeded, setHomeCareNeeded] = useState<boolean | null>(plan?.homeCareNeeded ?? null);
  const [bedCategory, setBedCategory] = useState(plan?.bedCategory ?? '');
  const [intention, setIntention] = useState<boolean | null>(plan?.intentionToReturnHome ?? null);
  const [missing, setMissing] = useState<string | null>(null);
  if (role === 'ward') return null; // the ward records P0 with its discharge (DischargePanel)

  const submit = () => {
    setMissing(null);
    if (pathway === null) return setMissing('pathway');
    if (pathway === 1 && homeCareNeeded === null) return setMissing('homeCareNeeded');
    if ((pathway === 2 || pathway === 3) && !bedCategory) return setMissing('bedCategory');
    if (pathway === 2 && intention === null) return setMissing('intentionToReturnHome');
    void command.run({
      action: 'pathway',
      body: {
        pathway,
        reason,
        ...(pathway === 1 ? { homeCareNeeded } : {}),
        ...(pathway === 2 || pathway === 3 ? { bedCategory } : {}),
        ...(pathway === 2 ? { intentionToReturnHome: intention } : {}),
      },
    });
  };
  const err = (field: string, text: string) => (missing === field ? text : command.fieldError(field));

  return (
    <section className="panel" aria-labelledby="pathway-heading">
      <h2 id="pathway-heading">{plan ? 'Change the pathway' : 'Assign a pathway'}</h2>
      <CommandProblem command={command} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <fieldset
          className={`fieldset${err('pathway', 'Choose a pathway') ? ' form-group--error' : ''}`}
          id="pathway"
          tabIndex={-1}
        >
          <legend className="label">Pathway</legend>
          {err('pathway', 'Choose a pathway') && <p className="error-message">{err('pathway', 'Choose a pathway')}</p>}
          <div className="radios">
            {([0, 1, 2, 3] as const).map((p) => (
              <div className="radios__item" key={p}>
                <input
                  className="radios__input"
                  type="radio"
                  id={`pathway-${p}`}
                  name="pathway"
                  checked={pathway === p}
                  onChange={() => {
                    setPathway(p);
                    if (
                      (p === 2 && !P2_BED_CATEGORIES.some(([c]) => c === bedCategory)) ||
                      (p === 3 && !P3_BED_CATEGORIES.some(([c]) => c === bedCategory))
                    )
                      setBedCategory('');
                  }}
                />
                <label className="radios__label" htmlFor={`pathway-${p}`}>
                  {PATHWAY_LABELS[p]}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        {pathway === 1 && (
          <YesNo
            id="homeCareNeeded"
            legend="Is a home-care package needed?"
            value={homeCareNeeded}
            onChange={setHomeCareNeeded}
            error={err('homeCareNeeded', 'Say whether home care is needed')}
          />
        )}
        {(pathway === 2 || pathway === 3) && (
          <Field
            id="bedCategory"
            label={pathway === 2 ? 'Bed category' : 'Care home type'}
            error={err('bedCategory', 'Choose one')}
          >
            <Select
              id="bedCategory"
              value={bedCategory}
              onChange={setBedCategory}
              options={pathway === 2 ? P2_BED_CATEGORIES : P3_BED_CATEGORIES}
              placeholder="Choose"
            />
          </Field>
        )}
        {pathway === 2 && (
          <YesNo
            id="intentionToReturnHome"
            legend="Is the intention to return home?"
            value={intention}
            onChange={setIntention}
            error={err('intentionToReturnHome', 'Say whether the person intends to return home')}
          />
        )}
        <Field id="pathway-reason" label="Reason" error={command.fieldError('reason')}>
          <Select id="pathway-reason" value={reason} onChange={setReason} options={PATHWAY_REASONS} />
        </Field>
        <Button type="submit" busy={command.busy} busyLabel="Saving">
          {plan ? 'Change pathway' : 'Assign pathway'}
        </Button>
      </form>
    </section>
  );
}

/** Record the discharge. A ward records pathway 0 first when none (or P0) is set: one action, two commands. */
export function DischargePanel({ view, refresh, role }: PanelProps & { role: Role }) {
  const ref = useReferenceData();
  const command = useCommand(view.caseId, view.revision, refresh);
  const plan = view.facts.plan;
  const wardP0 = role === 'ward';
  const pathway: Pathway | null = wardP0 ? 0 : (plan?.pathway ?? null);
  const [when, setWhen] = useState(londonNowLocal());
  const allowed = pathway === null ? [] : ref.dischargeDestinations.byPathway[String(pathway) as '0'];
  const destinations = ref.dischargeDestinations.codes
    .filter((d) => d.offered && allowed.includes(d.code))
    .map((d) => [d.code, `${d.shortLabel} (${d.code})`] as const);
  const [destination, setDestination] = useState(allowed.includes('19') ? '19' : '');
  if (role === 'ward' && plan && plan.pathway !== 0) {
    return (
      <section className="panel" aria-labelledby="discharge-heading">
        <h2 id="discharge-heading">Discharge</h2>
        <p>The hub is arranging this discharge on pathway {plan.pathway}; the hub records it.</p>
      </section>
    );
  }
  const whenError = command.fieldError('dischargedAt');
  return (
    <section className="panel" aria-labelledby="discharge-heading">
      <h2 id="discharge-heading">{wardP0 ? 'Simple discharge (pathway 0)' : 'Record the discharge'}</h2>
      {pathway === null ? (
        <p>Assign a pathway first.</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const steps = [];
            if (wardP0 && plan?.pathway !== 0)
              steps.push({ action: 'pathway', body: { pathway: 0, reason: 'simple-discharge' } });
            steps.push({ action: 'discharge', body: { dischargedAt: londonLocalToInstant(when), destination } });
            void command.run(...steps);
          }}
        >
          <CommandProblem command={command} />
          <div className="row">
            <Field id="dischargedAt" label="Discharged at (London time)" error={whenError}>
              <input
                id="dischargedAt"
                type="datetime-local"
                className="input"
                value={when}
                onChange={(e) => setWhen(e.target.value)}
                aria-describedby={describedBy('dischargedAt', { error: whenError })}
              />
            </Field>
            <Field id="destination" label="Destination" error={command.fieldError('destination')}>
              <Select
                id="destination"
                value={destination}
                onChange={setDestination}
                options={destinations}
                placeholder="Choose"
              />
            </Field>
          </div>
          <Button type="submit" busy={command.busy} busyLabel="Recording discharge" disabled={!destination || !when}>
            {wardP0 ? 'Record P0 discharge' : `Record discharge on P${pathway}`}
          </Button>
        </form>
      )}
    </section>
  );
}

export function WithdrawPanel({ view, refresh }: PanelProps) {
  const command = useCommand(view.caseId, view.revision, refresh);
  const [reason, setReason] = useState('');
  return (
    <details className="details panel">
      <summary>Withdraw this case</summary>
      <CommandProblem command={command} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason) void command.run({ action: 'withdraw', body: { reason } });
        }}
      >
        <Field id="withdraw-reason" label="Reason" error={command.fieldError('reason')}>
          <Select
            id="withdraw-reason"
            value={reason}
            onChange={setReason}
            options={WITHDRAWAL_REASONS}
            placeholder="Choose a reason"
          />
        </Field>
        <Button type="submit" variant="warning" busy={command.busy} busyLabel="Withdrawing" disabled={!reason}>
          Withdraw case
        </Button>
      </form>
    </details>
  );
}

export function FollowUpPanel({ view, refresh }: PanelProps) {
  const command = useCommand(view.caseId, view.revision, refresh);
  const [result, setResult] = useState('');
  return (
    <section className="panel" aria-labelledby="follow-up-heading">
      <h2 id="follow-up-heading">91-day follow-up (ASCOF 2B(1))</h2>
      <p className="hint">Where is the person 91 days after their hospital discharge?</p>
      <CommandProblem command={command} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (result) void command.run({ action: 'follow-up', body: { result } });
        }}
      >
        <Field id="follow-up-result" label="Result" error={command.fieldError('result')}>
          <Select id="follow-up-result" value={result} onChange={setResult} options={FOLLOW_UP_RESULTS} placeholder="Choose" />
        </Field>
        <Button type="submit" busy={command.busy} busyLabel="Saving" disabled={!result}>
          Record follow-up
        </Button>
      </form>
    </section>
  );
}

/** Crypto-shredding with a confirm step: the coded facts stay and still count. */
export function ErasurePanel({ view, refresh }: PanelProps) {
  const command = useCommand(view.caseId, view.revision, refresh);
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="panel panel--danger" aria-labelledby="erase-heading">
      <h2 id="erase-heading">Erase identity</h2>
      <p className="hint">
        Destroys the key that protects this person’s name, NHS number, date of birth, postcode and notes. The coded facts stay, so
        the figures still count them. This cannot be undone.
      </p>
      <CommandProblem command={command} />
      {!confirming ? (
        <Button variant="warning" onClick={() => setConfirming(true)}>
          Erase identity…
        </Button>
      ) : (
        <div className="confirm" role="alertdialog" aria-labelledby="erase-confirm">
          <p id="erase-confirm">
            <strong>Are you sure?</strong> The identity cannot be recovered afterwards.
          </p>
          <Button
            variant="warning"
            busy={command.busy}
            busyLabel="Erasing"
            onClick={() => void command.run({ action: 'erase-identity' }).then(() => setConfirming(false))}
          >
            Yes, erase identity
          </Button>{' '}
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      )}
    </section>
  );
}
