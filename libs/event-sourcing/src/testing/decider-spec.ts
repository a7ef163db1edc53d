import type { Command, Decider, DomainEvent } from '../decider';

/**
 * given(events).when(command).then(events | error), after Emmett's DeciderSpecification.
 *
 *   const given = specFor(dischargeCase);
 *   given(referralSubmitted()).when(assignPathway({ pathway: 2 })).then(pathwayAssigned({ pathway: 2 }));
 */
export const specFor =
  <State, C extends Command, E extends DomainEvent>(decider: Decider<State, C, E>) =>
  (...given: E[]) => ({
    when: (command: C) => {
      const run = () => {
        const state = given.reduce(decider.evolve, decider.initialState());
        const decided = decider.decide(command, state);
        return Array.isArray(decided) ? decided : [decided];
      };
      return {
        then: (...expected: E[]) => expect(run()).toEqual(expected),
        thenNothingHappens: () => expect(run()).toEqual([]),
        thenThrows: <T extends Error>(type: new (...args: never[]) => T, check?: (error: T) => void) => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(type);
          check?.(thrown as T);
        },
      };
    },
  });
