import { DomainRefusal, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { assertSiteTakingAdmissions, evolveSite, initialSite, type SiteEvent } from './site';
import {
  admin,
  closeSiteToAdmissions,
  hub,
  leader,
  provider,
  registerSite,
  reopenSiteToAdmissions,
  siteClosedToAdmissions,
  siteForSpecs,
  siteRegistered,
  siteReopenedToAdmissions,
  system,
  ward,
} from './testing/builders';

const given = specFor(siteForSpecs);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });
const fold = (...events: SiteEvent[]) => events.reduce(evolveSite, initialSite());

describe('Site', () => {
  describe('registering', () => {
    it.each([admin, hub])('records a site with its kind, locality and illustrative ODS code (%o)', (by) =>
      given().when(registerSite({ by })).then(siteRegistered()),
    );

    it.each(['care-home', 'rehab-unit', 'hospice'] as const)('registers a %s', (kind) =>
      given().when(registerSite({ kind })).then(siteRegistered({ kind })),
    );

    it.each([ward, leader, provider, system])('refuses a %o user (403)', (by) =>
      given().when(registerSite({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it('refuses a second registration (409)', () =>
      given(siteRegistered()).when(registerSite()).thenThrows(DomainRefusal, refused('SITE_EXISTS', 'conflict')));

    it('refuses a locality that is not in the reference data', () =>
      given()
        .when(registerSite({ locality: 'BRISTOL' }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_AREA', 'unprocessable')));

    it('refuses an unknown kind of site', () =>
      given()
        .when(registerSite({ kind: 'prison' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')));

    it('refuses a malformed ODS code', () =>
      given()
        .when(registerSite({ odsCode: 'frome' }))
        .thenThrows(DomainRefusal, refused('INVALID_ODS_CODE')));

    it('refuses a blank name', () =>
      given()
        .when(registerSite({ name: '  ' }))
        .thenThrows(DomainRefusal, refused('NAME_REQUIRED')));
  });

  describe('closing to admissions and reopening', () => {
    it('closes a site with a coded reason (an outbreak)', () =>
      given(siteRegistered()).when(closeSiteToAdmissions()).then(siteClosedToAdmissions()));

    it('reopens it, saying what it was closed for and since when', () =>
      given(siteRegistered(), siteClosedToAdmissions({ closedAt: '2026-11-20T08:00:00.000Z' }))
        .when(reopenSiteToAdmissions())
        .then(siteReopenedToAdmissions({ closedAt: '2026-11-20T08:00:00.000Z' })));

    it('refuses closing a closed site (409)', () =>
      given(siteRegistered(), siteClosedToAdmissions())
        .when(closeSiteToAdmissions({ reason: 'staffing' }))
        .thenThrows(DomainRefusal, refused('SITE_ALREADY_CLOSED', 'conflict')));

    it('refuses reopening an open site (409)', () =>
      given(siteRegistered()).when(reopenSiteToAdmissions()).thenThrows(DomainRefusal, refused('SITE_NOT_CLOSED', 'conflict')));

    it('refuses an uncoded reason', () =>
      given(siteRegistered())
        .when(closeSiteToAdmissions({ reason: 'because' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')));

    it('refuses a site that does not exist (404)', () =>
      given().when(closeSiteToAdmissions()).thenThrows(DomainRefusal, refused('SITE_NOT_FOUND', 'not_found')));

    it.each([ward, leader, provider])('refuses a %o user (403)', (by) =>
      given(siteRegistered())
        .when(closeSiteToAdmissions({ by }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it('a closed site takes no reservations; a reopened one does', () => {
      expect(() => assertSiteTakingAdmissions(fold(siteRegistered(), siteClosedToAdmissions()))).toThrow(
        expect.objectContaining({ code: 'SITE_CLOSED_TO_ADMISSIONS', kind: 'conflict' }),
      );
      expect(() =>
        assertSiteTakingAdmissions(fold(siteRegistered(), siteClosedToAdmissions(), siteReopenedToAdmissions())),
      ).not.toThrow();
    });
  });
});
