import { createContext, useContext, type ReactNode } from 'react';
import { endpoints } from './api/endpoints';
import type { ReferenceData } from './api/types';
import { ErrorPanel, useLoad } from './components/common';
import { Spinner } from './components/forms';

const ReferenceDataContext = createContext<ReferenceData | null>(null);

/** Loaded once after sign-in: areas, wards, delay reasons, destinations and target sets. */
export function ReferenceDataProvider({ children }: { children: ReactNode }) {
  const { data, error } = useLoad(endpoints.referenceData, 'reference-data');
  if (error) return <ErrorPanel error={error} />;
  if (!data) return <Spinner label="Loading reference data" />;
  return <ReferenceDataContext.Provider value={data}>{children}</ReferenceDataContext.Provider>;
}

export function useReferenceData(): ReferenceData {
  const value = useContext(ReferenceDataContext);
  if (!value) throw new Error('useReferenceData outside ReferenceDataProvider');
  return value;
}

export function delayReasonLabel(ref: ReferenceData, code: string, version?: string): string {
  const list = ref.delayReasons.versions.find((v) => v.version === (version ?? ref.delayReasons.current));
  return list?.reasons.find((r) => r.code === code)?.label ?? code;
}

export function trustName(ref: ReferenceData, ods: string): string {
  return ref.trusts.find((t) => t.odsCode === ods)?.name ?? ods;
}

export function wardName(ref: ReferenceData, code: string): string {
  for (const hospital of ref.hospitals) {
    const ward = hospital.wards.find((w) => w.code === code);
    if (ward) return `${ward.name}, ${hospital.name}`;
  }
  return code;
}
