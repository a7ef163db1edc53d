import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { Pathway } from '../../api/types';
import { Button, describedBy, ErrorSummary, Field, Select, type SummaryItem } from '../../components/forms';
import {
  COGNITION_LEVELS,
  EQUIPMENT,
  MOBILITY_LEVELS,
  PATHWAY_LABELS,
  SEX_FOR_BAY_ALLOCATION,
  USUAL_RESIDENCES,
} from '../../domain/codes';
import { nhsNumberProblem, normaliseNhsNumber } from '../../domain/nhs-number';
import { londonToday } from '../../domain/time';
import { useReferenceData } from '../../reference-data';
import { navigate } from '../../router';
import { useUser } from '../../session';

interface Form {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string;
  hospital: string;
  ward: string;
  admittedOn: string;
  area: string;
  usualResidence: string;
  proposedPathway: string;
  mobility: string;
  cognition: string;
  careHoursPerWeek: string;
  equipment: string[];
  bariatric: boolean;
  dementia: boolean;
  endOfLife: boolean;
  opmh: boolean;
  sideRoom: boolean;
  sexForBayAllocation: string;
  note: string;
}

// Loose on purpose (the server has the full rule); enough to catch typing slips early.
const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

/** Field ids are the API's field paths, so a 400 from the server lands next to the right control. */
const ID = {
  nhsNumber: 'patient.nhsNumber',
  givenName: 'patient.givenName',
  familyName: 'patient.familyName',
  dateOfBirth: 'patient.dateOfBirth',
  postcode: 'patient.postcode',
  hospital: 'hospital',
  ward: 'ward',
  admittedOn: 'admittedOn',
  area: 'area',
  usualResidence: 'usualResidence',
  proposedPathway: 'proposedPathway',
  mobility: 'needs.mobility',
  cognition: 'needs.cognition',
  careHoursPerWeek: 'needs.careHoursPerWeek',
  equipment: 'needs.equipment',
  sexForBayAllocation: 'needs.specialist.sexForBayAllocation',
  note: 'note',
} as const;

function validate(form: Form, nhsFinished: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  const today = londonToday();
  const nhs = nhsNumberProblem(form.nhsNumber, nhsFinished);
  if (nhs) errors[ID.nhsNumber] = nhs;
  if (!form.givenName.trim()) errors[ID.givenName] = 'Enter the person’s given name';
  if (!form.familyName.trim()) errors[ID.familyName] = 'Enter the person’s family name';
  if (!form.dateOfBirth) errors[ID.dateOfBirth] = 'Enter the date of birth';
  else if (form.dateOfBirth > today || form.dateOfBirth < '1900-01-01')
    errors[ID.dateOfBirth] = 'Date of birth must be between 1900 and today';
  if (!POSTCODE.test(form.postcode.trim())) errors[ID.postcode] = 'Enter a UK postcode, like TA1 5DA';
  if (!form.hospital) errors[ID.hospital] = 'Choose the trust';
  if (!form.ward) errors[ID.ward] = 'Choose the ward';
  if (!form.admittedOn) errors[ID.admittedOn] = 'Enter the admission date';
  else if (form.admittedOn > today) errors[ID.admittedOn] = 'The admission date cannot be in the future';
  if (!form.area) errors[ID.area] = 'Choose the area the person lives in';
  if (!form.usualResidence) errors[ID.usualResidence] = 'Choose where the person usually lives';
  if (form.proposedPathway === '') errors[ID.proposedPathway] = 'Choose the proposed pathway';
  if (!form.mobility) errors[ID.mobility] = 'Choose mobility';
  if (!form.cognition) errors[ID.cognition] = 'Choose cognition';
  const hours = Number(form.careHoursPerWeek);
  if (form.careHoursPerWeek === '' || !Number.isInteger(hours) || hours < 0 || hours > 168)
    errors[ID.careHoursPerWeek] = 'Enter whole hours a week, 0 to 168';
  if (form.note.length > 2000) errors[ID.note] = 'The note must be 2,000 characters or fewer';
  return errors;
}

/** A ward (or the hub) refers a person for supported discharge. */
export function ReferralForm() {
  const user = useUser();
  const ref = useReferenceData();
  const trusts = user.role === 'ward' ? ref.trusts.filter((t) => t.odsCode === user.organisation) : ref.trusts;
  const [form, setForm] = useState<Form>(() => ({
    nhsNumber: '',
    givenName: '',
    familyName: '',
    dateOfBirth: '',
    postcode: '',
    hospital: trusts.length === 1 ? trusts[0].odsCode : '',
    ward: '',
    admittedOn: londonToday(),
    area: '',
    usualResidence: 'own-home',
    proposedPathway: '',
    mobility: '',
    cognition: '',
    careHoursPerWeek: '0',
    equipment: [],
    bariatric: false,
    dementia: false,
    endOfLife: false,
    opmh: false,
    sideRoom: false,
    sexForBayAllocation: 'no-requirement',
    note: '',
  }));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const wards = useMemo(
    () =>
      ref.hospitals
        .filter((h) => h.trustOdsCode === form.hospital)
        .flatMap((h) => h.wards.map((w) => [w.code, `${w.name} — ${h.name}`] as const)),
    [ref, form.hospital],
  );

  const clientErrors = validate(form, touched[ID.nhsNumber] || submitted);
  // The NHS number is checked as you type; other fields once touched or on submit.
  const errorFor = (id: string): string | undefined =>
    (id === ID.nhsNumber || touched[id] || submitted ? clientErrors[id] : undefined) ?? serverErrors[id];

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value, ...(key === 'hospital' ? { ward: '' } : {}) }));
    const id = ID[key as keyof typeof ID];
    if (id && serverErrors[id]) setServerErrors(({ [id]: _gone, ...rest }) => rest);
  };
  const touch = (id: string) => setTouched((t) => ({ ...t, [id]: true }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setProblem(null);
    if (Object.keys(validate(form, true)).length > 0) return;
    setBusy(true);
    try {
      const nhsNumber = normaliseNhsNumber(form.nhsNumber);
      const result = await endpoints.refer({
        patient: {
          ...(nhsNumber ? { nhsNumber } : {}),
          givenName: form.givenName.trim(),
          familyName: form.familyName.trim(),
          dateOfBirth: form.dateOfBirth,
          postcode: form.postcode.trim(),
        },
        hospital: form.hospital,
        ward: form.ward,
        admittedOn: form.admittedOn,
        area: form.area,
        usualResidence: form.usualResidence,
        proposedPathway: Number(form.proposedPathway) as Pathway,
        needs: {
          mobility: form.mobility,
          cognition: form.cognition,
          careHoursPerWeek: Number(form.careHoursPerWeek),
          equipment: form.equipment,
          specialist: {
            bariatric: form.bariatric,
            dementia: form.dementia,
            endOfLife: form.endOfLife,
            opmh: form.opmh,
            sideRoom: form.sideRoom,
            sexForBayAllocation: form.sexForBayAllocation,
          },
        },
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      });
      navigate(`/cases/${result.caseId}`);
    } catch (error) {
      if (error instanceof ApiError) {
        setServerErrors(error.byField());
        setProblem(error.fieldErrors.length ? null : error.message);
      } else setProblem('The referral could not be sent');
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = Object.values(ID)
    .map((id) => ({ field: id, message: errorFor(id) ?? '' }))
    .filter((item) => item.message && (submitted || Object.keys(serverErrors).length > 0));

  const text = (key: keyof Form & keyof typeof ID, label: string, props: Record<string, unknown> = {}, hint?: string) => {
    const id = ID[key];
    const error = errorFor(id);
    const { className = 'input', ...rest } = props as { className?: string };
    return (
      <Field id={id} label={label} hint={hint} error={error}>
        <input
          id={id}
          name={id}
          className={`${className}${error ? ' input--error' : ''}`}
          value={form[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
          onBlur={() => touch(id)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, { hint, error })}
          {...rest}
        />
      </Field>
    );
  };
  const select = (
    key: keyof Form & keyof typeof ID,
    label: string,
    options: readonly (readonly [string, string])[],
    placeholder = 'Choose',
  ) => {
    const id = ID[key];
    const error = errorFor(id);
    return (
      <Field id={id} label={label} error={error}>
        <Select
          id={id}
          value={form[key] as string}
          onChange={(v) => {
            set(key, v as never);
            touch(id);
          }}
          options={options}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, { error })}
        />
      </Field>
    );
  };

  return (
    <div className="narrow">
      <h1>Refer someone for supported discharge</h1>
      <ErrorSummary items={summary} message={problem} />
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">The person</legend>
          {text(
            'nhsNumber',
            'NHS number',
            { inputMode: 'numeric', autoComplete: 'off', spellCheck: false, className: 'input input--width-10' },
            'Ten digits, for example 943 476 5919. Leave blank if the person is not yet traced.',
          )}
          <div className="row">
            {text('givenName', 'Given name', { autoComplete: 'off' })}
            {text('familyName', 'Family name', { autoComplete: 'off' })}
          </div>
          <div className="row">
            {text('dateOfBirth', 'Date of birth', { type: 'date', max: londonToday() })}
            {text('postcode', 'Postcode', { autoComplete: 'off', className: 'input input--width-10' })}
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend className="fieldset__legend">Where they are and where they live</legend>
          <div className="row">
            {select(
              'hospital',
              'Trust',
              trusts.map((t) => [t.odsCode, t.name] as const),
            )}
            {select('ward', 'Ward', wards, form.hospital ? 'Choose a ward' : 'Choose the trust first')}
          </div>
          <div className="row">
            {text('admittedOn', 'Admitted on', { type: 'date', max: londonToday() })}
            {select(
              'area',
              'Area of usual residence',
              ref.areas.map((a) => [a.code, a.name] as const),
            )}
          </div>
          {select('usualResidence', 'Usually lives in', USUAL_RESIDENCES, 'Choose')}
          {select(
            'proposedPathway',
            'Proposed pathway',
            ([0, 1, 2, 3] as const).map((p) => [String(p), PATHWAY_LABELS[p]] as const),
          )}
        </fieldset>

        <fieldset className="fieldset">
          <legend className="fieldset__legend">Needs</legend>
          <div className="row">
            {select('mobility', 'Mobility', MOBILITY_LEVELS)}
            {select('cognition', 'Cognition', COGNITION_LEVELS)}
          </div>
          {text('careHoursPerWeek', 'Care hours a week', {
            type: 'number',
            min: 0,
            max: 168,
            step: 1,
            className: 'input input--width-4',
          })}
          <fieldset className="fieldset fieldset--nested" id={ID.equipment} tabIndex={-1}>
            <legend className="label">Equipment needed</legend>
            <div className="checkboxes checkboxes--columns">
              {EQUIPMENT.map(([code, label]) => (
                <div className="checkboxes__item" key={code}>
                  <input
                    className="checkboxes__input"
                    type="checkbox"
                    id={`equipment-${code}`}
                    checked={form.equipment.includes(code)}
                    onChange={(e) =>
                      set('equipment', e.target.checked ? [...form.equipment, code] : form.equipment.filter((c) => c !== code))
                    }
                  />
                  <label className="checkboxes__label" htmlFor={`equipment-${code}`}>
                    {label}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <fieldset className="fieldset fieldset--nested">
            <legend className="label">Specialist needs</legend>
            <div className="checkboxes checkboxes--columns">
              {(
                [
                  ['bariatric', 'Bariatric'],
                  ['dementia', 'Dementia'],
                  ['endOfLife', 'End of life'],
                  ['opmh', 'Older people’s mental health'],
                  ['sideRoom', 'Side room'],
                ] as const
              ).map(([key, label]) => (
                <div className="checkboxes__item" key={key}>
                  <input
                    className="checkboxes__input"
                    type="checkbox"
                    id={`specialist-${key}`}
                    checked={form[key]}
                    onChange={(e) => set(key, e.target.checked)}
                  />
                  <label className="checkboxes__label" htmlFor={`specialist-${key}`}>
                    {label}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          {select('sexForBayAllocation', 'Bay allocation', SEX_FOR_BAY_ALLOCATION, 'Choose')}
        </fieldset>

        <Field
          id={ID.note}
          label="Note for the hub (optional)"
          hint="Kept encrypted under the person’s own key."
          error={errorFor(ID.note)}
        >
          <textarea
            id={ID.note}
            name={ID.note}
            className="textarea"
            rows={3}
            value={form.note}
            onChange={(e) => set('note', e.target.value)}
            aria-describedby={describedBy(ID.note, { hint: true, error: errorFor(ID.note) })}
          />
        </Field>

        <Button type="submit" busy={busy} busyLabel="Sending referral">
          Send referral
        </Button>
      </form>
    </div>
  );
}
