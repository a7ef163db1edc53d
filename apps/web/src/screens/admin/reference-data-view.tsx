import { useReferenceData } from '../../reference-data';

/** Read-only view of the loaded reference data (editing comes with the admin API). */
export function AdminReferenceData() {
  const ref = useReferenceData();
  return (
    <div>
      <h1>Reference data</h1>
      <p className="lede">
        {ref.name}
        {ref.illustrative ? ' — illustrative, not for live care' : ''}. Delay reason list in force: {ref.delayReasons.current}.
      </p>
      <h2>Areas</h2>
      <ul>
        {ref.areas.map((a) => (
          <li key={a.code}>
            {a.name} <code>{a.code}</code>
          </li>
        ))}
      </ul>
      <h2>Hospitals and wards</h2>
      {ref.hospitals.map((h) => (
        <div key={h.siteOdsCode}>
          <h3>
            {h.name} <code>{h.siteOdsCode}</code> (trust {h.trustOdsCode})
          </h3>
          <ul>
            {h.wards.map((w) => (
              <li key={w.code}>
                {w.name} <code>{w.code}</code>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <h2>Service levels</h2>
      <ul>
        {ref.serviceLevels.map((s) => (
          <li key={s.id}>
            {s.label}: within {s.within.amount} {s.within.unit}
          </li>
        ))}
      </ul>
    </div>
  );
}
