import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { endpoints } from '../../api/endpoints';
import type { KpiDefinition, Pathway } from '../../api/types';
import { ErrorPanel, useLoad } from '../../components/common';
import { Spinner } from '../../components/forms';
import { useSession } from '../../session';
import { PATHWAY_LABELS } from '../../domain/codes';
import { useReferenceData } from '../../reference-data';
import { useLocation } from '../../router';
import { COMPARISON_TEXT } from './kpi';

const PATHWAYS: Pathway[] = [0, 1, 2, 3];

function Definition({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} className="definition" tabIndex={-1} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function Terms({ numerator, denominator, dates }: { numerator: ReactNode; denominator: ReactNode; dates: ReactNode }) {
  return (
    <dl className="summary-list">
      <div>
        <dt>Numerator</dt>
        <dd>{numerator}</dd>
      </div>
      <div>
        <dt>Denominator</dt>
        <dd>{denominator}</dd>
      </div>
      <div>
        <dt>Date basis</dt>
        <dd>{dates}</dd>
      </div>
    </dl>
  );
}

const DENOMINATOR = (
  <>
    All hospital discharges in the window: the trusts’ acute activity feed when it covers every day of the window, otherwise the
    discharges of cases referred to the hub (labelled “of referred discharges”). See <a href="#basis">basis</a>.
  </>
);
const DATES = (
  <>
    The London (Europe/London) calendar date of the discharge instant. <a href="#window-today">Today</a> or{' '}
    <a href="#window-month-to-date">month to date</a>; figures are as at the moment the page refreshed.
  </>
);

/** What each figure on the dashboard means: numerator, denominator and date basis (DESIGN §5). */
export function Definitions() {
  const ref = useReferenceData();
  const { hash } = useLocation();
  useEffect(() => {
    if (!hash) return;
    const el = document.getElementById(hash);
    el?.scrollIntoView();
    el?.focus({ preventScroll: true });
  }, [hash]);
  const threshold = ref.leaderViews.smallCountSuppressionThreshold;

  return (
    <div className="narrow">
      <h1>KPI definitions</h1>
      <p className="lede">
        Every figure on the pathway dashboard links here. Times and dates are in Europe/London, correct across clock changes.
      </p>

      {PATHWAYS.map((p) => (
        <Definition key={p} id={`share-p${p}`} title={`Share of discharges on pathway ${p}`}>
          <p>{PATHWAY_LABELS[p]}.</p>
          <Terms
            numerator={
              <>
                Discharges recorded on pathway {p} in the window (a case counts once, on its discharge date, with the pathway it
                was discharged on).
              </>
            }
            denominator={DENOMINATOR}
            dates={DATES}
          />
          <p className="hint">
            Shown as a percentage to one decimal place, with the count in brackets; “—” when there were no discharges.
          </p>
        </Definition>
      ))}

      <Definition id="discharges" title="All discharges">
        <Terms
          numerator={<>The count of discharges in the window on the chosen basis.</>}
          denominator={<>None: a count.</>}
          dates={DATES}
        />
      </Definition>

      {ref.homeFirstMeasures.map((m) => (
        <Definition key={m.id} id={m.id} title={m.label}>
          <Terms
            numerator={<>Discharges on pathways {m.pathways.map((p) => `P${p}`).join(' + ')} in the window.</>}
            denominator={DENOMINATOR}
            dates={DATES}
          />
          <p>
            Target: {COMPARISON_TEXT[m.comparison]} {m.percent}%. Computed from the pathway shares, not from a separate flag.
            Source: {m.source}.
          </p>
        </Definition>
      ))}

      <Definition id="basis" title="Basis: which denominator">
        <p>
          The hub only sees the cases referred to it, but P0 is mostly coordinated by wards. Each trust can send an{' '}
          <strong>acute activity feed</strong> (daily discharges by pathway, as CSV or FHIR). For a window, the feed is used as
          the denominator only when it covers <em>every</em> day of the window; otherwise the shares are “of referred discharges”,
          and say so.
        </p>
      </Definition>

      <Definition id="window-today" title="Today">
        <p>The current calendar day in Europe/London, from 00:00 to 24:00 local time (23 or 25 hours on clock-change days).</p>
      </Definition>
      <Definition id="window-month-to-date" title="Month to date">
        <p>From the first day of the current London calendar month up to and including today.</p>
      </Definition>

      <Definition id="targets" title="Target sets">
        <p>Targets are configuration (reference data), never code, and each carries its source.</p>
        {ref.pathwayTargetSets.map((set) => (
          <div key={set.id} className="inset">
            <h3>{set.label}</h3>
            <p>{set.targets.map((t) => `P${t.pathway} ${COMPARISON_TEXT[t.comparison]} ${t.percent}%`).join(' · ')}</p>
            <p className="hint">
              {set.population}. Source: {set.source}.
            </p>
          </div>
        ))}
      </Definition>

      <Definition id="suppression" title="Small-count suppression">
        <p>
          Leader views show no count between 1 and {threshold - 1}: such counts appear as “&lt;{threshold}”, so that nobody can be
          identified from an aggregate. A share, mean or rate computed from such a count is shown as “suppressed”, and when one
          count in a group is hidden the next smallest is hidden too, so that the total cannot give it away.
        </p>
      </Definition>

      <ApiDefinitions />
    </div>
  );
}

const TERMS: [keyof KpiDefinition, string][] = [
  ['numerator', 'Numerator'],
  ['denominator', 'Denominator'],
  ['dateBasis', 'Date basis'],
  ['snapshot', 'Snapshot'],
  ['breakdowns', 'Breakdowns'],
  ['notes', 'Notes'],
  ['source', 'Source'],
];

/** The hub's own definition of every KPI (GET /api/hub/kpis/definitions): the dashboard's other figures link here. */
function ApiDefinitions() {
  const { session } = useSession();
  const allowed = session?.user.role === 'leader' || session?.user.role === 'hub' || session?.user.role === 'admin';
  const defs = useLoad(() => (allowed ? endpoints.kpiDefinitions() : Promise.resolve(null)), `kpi-definitions-${allowed}`);
  const { hash } = useLocation();
  useEffect(() => {
    if (!hash.startsWith('kpi-') || !defs.data) return;
    const el = document.getElementById(hash);
    el?.scrollIntoView();
    el?.focus({ preventScroll: true });
  }, [hash, defs.data]);
  if (!allowed) return null;
  if (defs.error) return <ErrorPanel error={defs.error} />;
  if (!defs.data) return <Spinner label="Loading the hub’s KPI definitions" />;
  return (
    <>
      <h2 className="page-heading">Every hub measure</h2>
      <p className="hint">As the hub computes them; times in {defs.data.timeZone}.</p>
      {defs.data.kpis.map((kpi) => (
        <Definition key={kpi.id} id={`kpi-${kpi.id}`} title={kpi.title}>
          <dl className="summary-list">
            {TERMS.filter(([key]) => kpi[key]).map(([key, label]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd>{kpi[key]}</dd>
              </div>
            ))}
          </dl>
        </Definition>
      ))}
    </>
  );
}
