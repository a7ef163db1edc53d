import type { RecordedEvent } from '@app/event-sourcing';
import type { Projection } from '@app/projections';
import { evolve, initialDischargeCase, type DischargeCase, type DischargeCaseEvent } from './discharge-case';

export interface CaseListEntry {
  state: DischargeCase;
  revision: number;
  lastChangedAt: string;
  followUpDue: boolean;
}

/** Every case's current state, folded with the decider's own evolve: the worklists filter it. */
export interface CaseListView {
  cases: Record<string, CaseListEntry>;
}

export const caseList: Projection<CaseListView> = {
  name: 'discharge-case-list',
  version: 1,
  categories: ['dischargeCase'],
  initial: () => ({ cases: {} }),
  // Updates the view in place (the engine owns it): copying every case per event would be quadratic.
  evolve: (view, event: RecordedEvent) => {
    const caseId = (event.data as { caseId?: string }).caseId;
    if (!caseId) return view;
    const entry = view.cases[caseId];
    const state = evolve(entry?.state ?? initialDischargeCase(), event as unknown as DischargeCaseEvent);
    if (state.status === 'none') return view;
    view.cases[caseId] = {
      state,
      revision: event.revision,
      lastChangedAt: event.recordedAt,
      followUpDue:
        event.type === 'NinetyOneDayFollowUpDue'
          ? true
          : event.type === 'NinetyOneDayFollowUpRecorded'
            ? false
            : (entry?.followUpDue ?? false),
    };
    return view;
  },
};
