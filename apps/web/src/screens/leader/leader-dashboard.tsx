import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { endpoints } from '../../api/endpoints';
import type { Pathway, PathwayShares, WindowFigures } from '../../api/types';
import { ErrorPanel, Tag, useLoad } from '../../components/common';
import { Spinner } from '../../components/forms';
import { PATHWAY_LABELS } from '../../domain/codes';
import { formatDate } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { useReferenceData } from '../../reference-data';
import { Link } from '../../router';
import { KpiSections } from './kpi-sections';
import { combinedShare, COMPARISON_TEXT, DEFINITION, formatCount, formatShare, verdict, type Verdict } from './kpi';

const PATHWAYS: Pathway[] = [0, 1, 2, 3];
const VERDICT_TAG: Record<Verdict, { tone: 'green' | 'red' | 'grey' | 'blue'; text: string }> = {
  met: { tone: 'green', text: 'Met' },
  'not-met': { tone: 'red', text: 'Not met' },
  'no-data': { tone: 'grey', text: 'No discharges' },
  info: { tone: 'blue', text: 'Reference' },
  suppressed: { tone: 'grey', text: 'Too few to show' },
};

/** Pathway shares today and month to date against the configured target sets, with the home-first measures. */
export function LeaderDashboard() {
  const ref = useReferenceData();
  const shares = useLoad(endpoints.pathwayShares, 'pathway-shares');
  const [updatedAt, setUpdatedAt] = useState<Date>(new Date());
  useLiveView('pathway-shares', () => void shares.reload().then(() => setUpdatedAt(new Date())));
  const [targetSetId, setTargetSetId] = useState(ref.pathwayTargetSets[0]?.id ?? '');
  const targetSet = ref.pathwayTargetSets.find((s) => s.id === targetSetId) ?? ref.pathwayTargetSets[0];
  const threshold = ref.leaderViews.smallCountSuppressionThreshold;

  if (shares.error && !shares.data) return <ErrorPanel error={shares.error} />;
  if (!shares.data) return <Spinner label="Loading pathway shares" />;
  const data: PathwayShares = shares.data;

  return (
    <div>
      <h1>Discharges by pathway</h1>
      <p className="lede">
        Today, {formatDate(data.date)}, and month to date from {formatDate(data.monthToDate.window.firstDate)} (Europe/London).{' '}
        <span className="hint" data-testid="updated-at">
          Updated {updatedAt.toLocaleTimeString('en-GB', { timeZone: 'Europe/London' })}
          {shares.loading ? ' · refreshing…' : ''}
        </span>
      </p>
      <BasisNotice today={data.today} monthToDate={data.monthToDate} />

      <HomeFirst data={data} />

      <section aria-labelledby="targets-heading" className="section">
        <h2 id="targets-heading">Against a target set</h2>
        <fieldset className="fieldset">
          <legend className="visually-hidden">Target set</legend>
          <div className="radios radios--inline">
            {ref.pathwayTargetSets.map((set) => (
              <div className="radios__item" key={set.id}>
                <input
                  className="radios__input"
                  type="radio"
                  id={`target-${set.id}`}
                  name="target-set"
                  checked={set.id === targetSet?.id}
                  onChange={() => setTargetSetId(set.id)}
                />
                <label className="radios__label" htmlFor={`target-${set.id}`}>
                  {set.label}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        {targetSet && (
          <p className="hint">
            {targetSet.population}. Source: {targetSet.source}.{' '}
            {targetSet.ageBands && <>Applies to age bands {targetSet.ageBands.join(', ')}; the shares below are for all ages. </>}
            <Link to={DEFINITION.targets}>About targets</Link>
          </p>
        )}
        <SharesChart data={data} targets={targetSet?.targets ?? []} />
        <table className="table" data-testid="shares-table">
          <caption className="visually-hidden">Discharges and shares by pathway</caption>
          <thead>
            <tr>
              <th scope="col">Pathway</th>
              <th scope="col" className="numeric">
                Today
              </th>
              <th scope="col" className="numeric">
                Month to date
              </th>
              <th scope="col" className="numeric">
                Target
              </th>
              <th scope="col">Month to date against target</th>
            </tr>
          </thead>
          <tbody>
            {PATHWAYS.map((p) => {
              const target = targetSet?.targets.find((t) => t.pathway === p);
              const v = target ? verdict(data.monthToDate.shares[p], target.percent, target.comparison) : 'no-data';
              return (
                <tr key={p}>
                  <th scope="row">{PATHWAY_LABELS[p]}</th>
                  <td className="numeric">
                    <Figure window={data.today} pathway={p} threshold={threshold} testId={`share-today-p${p}`} period="today" />
                  </td>
                  <td className="numeric">
                    <Figure
                      window={data.monthToDate}
                      pathway={p}
                      threshold={threshold}
                      testId={`share-mtd-p${p}`}
                      period="month to date"
                    />
                  </td>
                  <td className="numeric">{target ? `${COMPARISON_TEXT[target.comparison]} ${target.percent}%` : '—'}</td>
                  <td>
                    <Tag tone={VERDICT_TAG[v].tone}>{VERDICT_TAG[v].text}</Tag>
                  </td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">
                <Link to={DEFINITION.total}>All discharges</Link>
              </th>
              <td className="numeric" data-testid="total-today">
                {formatCount(data.today.total, threshold)}
              </td>
              <td className="numeric" data-testid="total-mtd">
                {formatCount(data.monthToDate.total, threshold)}
              </td>
              <td className="numeric">100%</td>
              <td />
            </tr>
          </tbody>
        </table>
        <p className="hint">
          Counts between 1 and {threshold - 1} are shown as “&lt;{threshold}” (
          <Link to={DEFINITION.suppression}>small-count suppression</Link>).
        </p>
      </section>
      <KpiSections />
    </div>
  );
}

function Figure({
  window,
  pathway,
  threshold,
  testId,
  period,
}: {
  window: WindowFigures;
  pathway: Pathway;
  threshold: number;
  testId: string;
  period: string;
}) {
  const share = window.shares[pathway];
  return (
    <Link
      to={DEFINITION.share(pathway)}
      className="figure-link"
      data-testid={testId}
      aria-label={`P${pathway} ${period}: ${formatShare(share)} ${window.label}, ${formatCount(window.counts[pathway], threshold)} discharges. Definition.`}
    >
      <span className="figure-link__share">{formatShare(share)}</span>{' '}
      <span className="figure-link__count">({formatCount(window.counts[pathway], threshold)})</span>
    </Link>
  );
}

function BasisNotice({ today, monthToDate }: { today: WindowFigures; monthToDate: WindowFigures }) {
  const same = today.basis === monthToDate.basis;
  return (
    <div className="inset" data-testid="basis">
      <p>
        {same ? (
          <>
            Shares are <strong>{today.label}</strong>.
          </>
        ) : (
          <>
            Today’s shares are <strong>{today.label}</strong>; month-to-date shares are <strong>{monthToDate.label}</strong>.
          </>
        )}{' '}
        {today.basis === 'referred-discharges' &&
          'The hub sees only the cases referred to it, and most P0 discharges are ward-led, so P0 is undercounted until an acute activity feed covers every day. '}
        <Link to={DEFINITION.basis}>How the denominator is chosen</Link>
      </p>
    </div>
  );
}

function HomeFirst({ data }: { data: PathwayShares }) {
  const ref = useReferenceData();
  return (
    <section aria-labelledby="home-first-heading" className="section">
      <h2 id="home-first-heading">Home first</h2>
      <div className="cards">
        {ref.homeFirstMeasures.map((measure) => {
          const anchor =
            measure.id === 'home-first'
              ? DEFINITION.homeFirst
              : measure.id === 'bedded-pathways'
                ? DEFINITION.bedded
                : `/definitions#${measure.id}`;
          return (
            <div className="card" key={measure.id} data-testid={`measure-${measure.id}`}>
              <h3 className="card__heading">
                <Link to={anchor}>{measure.label}</Link>
              </h3>
              <p className="hint">
                Target {COMPARISON_TEXT[measure.comparison]} {measure.percent}%
              </p>
              <dl className="figures">
                {(['today', 'monthToDate'] as const).map((period) => {
                  const share = combinedShare(data[period].counts, measure.pathways);
                  const v = verdict(share, measure.percent, measure.comparison);
                  return (
                    <div key={period}>
                      <dt>{period === 'today' ? 'Today' : 'Month to date'}</dt>
                      <dd>
                        <Link to={anchor} className="big-number" data-testid={`measure-${measure.id}-${period}`}>
                          {formatShare(share)}
                        </Link>{' '}
                        <Tag tone={VERDICT_TAG[v].tone}>{VERDICT_TAG[v].text}</Tag>
                      </dd>
                    </div>
                  );
                })}
              </dl>
            </div>
          );
        })}
      </div>
    </section>
  );
}

function SharesChart({ data, targets }: { data: PathwayShares; targets: readonly { pathway: Pathway; percent: number }[] }) {
  const rows = useMemo(
    () =>
      PATHWAYS.map((p) => ({
        pathway: `P${p}`,
        // A suppressed share is not drawn (a bar of 0 would say something it cannot).
        Today: typeof data.today.shares[p] === 'number' ? data.today.shares[p] : null,
        'Month to date': typeof data.monthToDate.shares[p] === 'number' ? data.monthToDate.shares[p] : null,
        Target: targets.find((t) => t.pathway === p)?.percent ?? 0,
      })),
    [data, targets],
  );
  return (
    <figure
      className="chart"
      aria-label="Bar chart of pathway shares today, month to date and the target; the same figures are in the table below"
    >
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="pathway" />
          <YAxis unit="%" domain={[0, 100]} />
          <Tooltip formatter={(value) => `${Number(value).toFixed(1)}%`} />
          <Legend />
          <Bar dataKey="Today" fill="#005eb8" isAnimationActive={false} />
          <Bar dataKey="Month to date" fill="#41b6e6" isAnimationActive={false} />
          <Bar dataKey="Target" fill="#768692" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
