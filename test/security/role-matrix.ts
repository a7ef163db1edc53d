/**
 * Who may do what: every role × every HTTP route and live room, WRITTEN BY HAND from DESIGN §4 and the README's
 * route tables — deliberately not generated from the guards, so a guard that drifts from the intent fails
 * role-matrix.e2e-spec.ts. A route the OpenAPI document has and this table lacks fails it too.
 *
 * Columns, in order (the fixture's records belong to trust RH5 and provider PRV-MENDIP-CARE):
 *   wardOwn       ward.musgrove (RH5, the records' trust)
 *   wardOther     ward.yeovil (RA4, another hospital)
 *   hub           hub.coordinator
 *   providerOwn   provider.mendip-care (the provider offered the package)
 *   providerOther provider.taunton-homecare
 *   leader        leader.ics
 *   admin         admin
 *   anonymous     no token
 *
 * Cells: `allow` (permitted), `scope` (permitted within the caller's own trust or provider: the records here are
 * in scope for the "own" column), `deny` (401 without a token, 403 with one).
 */
export type Cell = 'allow' | 'scope' | 'deny';
export const COLUMNS = ['wardOwn', 'wardOther', 'hub', 'providerOwn', 'providerOther', 'leader', 'admin', 'anonymous'] as const;
export type Column = (typeof COLUMNS)[number];

const row = (cells: string): Record<Column, Cell> => {
  const words = cells.trim().split(/\s+/);
  if (words.length !== COLUMNS.length) throw new Error(`a matrix row needs ${COLUMNS.length} cells: ${cells}`);
  const expand = (w: string): Cell => ({ A: 'allow', S: 'scope', D: 'deny' })[w] as Cell;
  return Object.fromEntries(COLUMNS.map((c, i) => [c, expand(words[i])])) as Record<Column, Cell>;
};

//                                                                          wO wX hub pO pX ldr adm anon
export const ROUTES: Record<string, Record<Column, Cell>> = {
  // Public: health, the development issuer.
  'GET /health/live': /*                                                  */ row('A A A A A A A A'),
  'GET /health/ready': /*                                                 */ row('A A A A A A A A'),
  'GET /auth/dev/users': /*                                               */ row('A A A A A A A A'),
  'POST /auth/dev/token': /*                                              */ row('A A A A A A A A'),
  'GET /auth/dev/jwks.json': /*                                           */ row('A A A A A A A A'),
  // Any signed-in user.
  'GET /api/reference-data': /*                                           */ row('A A A A A A A D'),
  // The access audit: admin only.
  'GET /api/admin/access-audit': /*                                       */ row('D D D D D D A D'),
  'GET /api/admin/access-audit/export.csv': /*                            */ row('D D D D D D A D'),
  // Discharge cases: wards for their own trust, the hub for all.
  'POST /api/discharge-cases': /*                                         */ row('S D A D D D D D'),
  'GET /api/discharge-cases': /*                                          */ row('S S A D D D D D'),
  'GET /api/discharge-cases/{caseId}': /*                                 */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/accept': /*                         */ row('D D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/return': /*                         */ row('D D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/criteria-to-reside/not-met': /*     */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/criteria-to-reside/met-again': /*   */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/pathway': /* (P0 for a ward)         */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/delays': /*                         */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/delays/{delayId}/close': /*         */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/delays/{delayId}/primary': /*       */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/discharge': /*                      */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/withdraw': /*                       */ row('S D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/follow-up': /*                      */ row('D D A D D D D D'),
  'POST /api/discharge-cases/{caseId}/erase-identity': /*                 */ row('D D A D D D A D'),
  'POST /api/discharge/activity-feed': /*                                 */ row('D D A D D D A D'),
  // Home care: providers see themselves and their own packages; the hub everything.
  'GET /api/home-care/providers': /*                                      */ row('D D A S S D A D'),
  'POST /api/home-care/providers': /*                                     */ row('D D A D D D A D'),
  'POST /api/home-care/providers/{providerId}/suspend': /*                */ row('D D A D D D A D'),
  'POST /api/home-care/providers/{providerId}/reinstate': /*              */ row('D D A D D D A D'),
  'POST /api/home-care/providers/{providerId}/capacity': /*               */ row('D D A S D D D D'),
  'GET /api/home-care/providers/{providerId}/view': /*                    */ row('D D A S D D D D'),
  'GET /api/home-care/packages': /*                                       */ row('D D A S S D D D'),
  'GET /api/home-care/packages/{packageId}': /*                           */ row('D D A S D D D D'),
  'GET /api/home-care/packages/{packageId}/offers/{offerId}': /*          */ row('D D A S D D D D'),
  'POST /api/home-care/packages/{packageId}/offers': /*                   */ row('D D A D D D D D'),
  'POST /api/home-care/packages/{packageId}/offers/{offerId}/accept': /*  */ row('D D D S D D D D'),
  'POST /api/home-care/packages/{packageId}/offers/{offerId}/decline': /* */ row('D D D S D D D D'),
  'POST /api/home-care/packages/{packageId}/start': /*                    */ row('D D D S D D D D'),
  'POST /api/home-care/packages/{packageId}/reviews': /*                  */ row('D D D S D D D D'),
  'POST /api/home-care/packages/{packageId}/end': /*                      */ row('D D D S D D D D'),
  'POST /api/home-care/packages/{packageId}/cancel': /*                   */ row('D D A D D D D D'),
  'GET /api/home-care/ledger': /*                                         */ row('D D A D D D D D'),
  'GET /api/home-care/waiting': /*                                        */ row('D D A D D D D D'),
  // Bed base: the hub and admin run it; wards and leaders see the summary only; providers nothing.
  'GET /api/bed-base/sites': /*                                           */ row('D D A D D D A D'),
  'POST /api/bed-base/sites': /*                                          */ row('D D A D D D A D'),
  'POST /api/bed-base/sites/{siteId}/close': /*                           */ row('D D A D D D A D'),
  'POST /api/bed-base/sites/{siteId}/reopen': /*                          */ row('D D A D D D A D'),
  'GET /api/bed-base/beds': /*                                            */ row('D D A D D D A D'),
  'POST /api/bed-base/beds': /*                                           */ row('D D A D D D A D'),
  'POST /api/bed-base/beds/{bedId}/decommission': /*                      */ row('D D A D D D A D'),
  'POST /api/bed-base/beds/{bedId}/close': /*                             */ row('D D A D D D A D'),
  'POST /api/bed-base/beds/{bedId}/reopen': /*                            */ row('D D A D D D A D'),
  'POST /api/bed-base/beds/{bedId}/escalation/open': /*                   */ row('D D A D D D A D'),
  'POST /api/bed-base/beds/{bedId}/escalation/stand-down': /*             */ row('D D A D D D A D'),
  'POST /api/bed-base/beds/{bedId}/leave': /*                             */ row('D D A D D D D D'),
  'GET /api/bed-base/requests': /*                                        */ row('D D A D D D D D'),
  'GET /api/bed-base/requests/{requestId}/recommendation': /*             */ row('D D A D D D D D'),
  'POST /api/bed-base/requests/{requestId}/reservations': /*              */ row('D D A D D D D D'),
  'POST /api/bed-base/requests/{requestId}/reservations/{reservationId}/release': row('D D A D D D D D'),
  'GET /api/bed-base/summary': /*                                         */ row('A A A D D A A D'),
  'GET /api/bed-base/long-stays': /*                                      */ row('D D A D D D D D'),
  // Community referrals: the hub only (the single point of access).
  'POST /api/community-referrals': /*                                     */ row('D D A D D D D D'),
  'GET /api/community-referrals': /*                                      */ row('D D A D D D D D'),
  'GET /api/community-referrals/measures': /*                             */ row('D D A D D D D D'),
  'GET /api/community-referrals/{referralId}': /*                         */ row('D D A D D D D D'),
  'POST /api/community-referrals/{referralId}/triage': /*                 */ row('D D A D D D D D'),
  'POST /api/community-referrals/{referralId}/first-response': /*         */ row('D D A D D D D D'),
  'POST /api/community-referrals/{referralId}/start': /*                  */ row('D D A D D D D D'),
  'POST /api/community-referrals/{referralId}/end': /*                    */ row('D D A D D D D D'),
  'POST /api/community-referrals/{referralId}/withdraw': /*               */ row('D D A D D D D D'),
  // The hub's figures: aggregates for leaders; the sitrep return for the hub and admin.
  'GET /api/hub/pathway-shares': /*                                       */ row('D D A D D A A D'),
  'GET /api/hub/kpis/definitions': /*                                     */ row('D D A D D A A D'),
  'GET /api/hub/kpis': /*                                                 */ row('D D A D D A A D'),
  'GET /api/hub/returns/discharge-sitrep.csv': /*                         */ row('D D A D D D A D'),
  'GET /api/hub/parked-messages': /*                                      */ row('D D A D D D A D'),
  'POST /api/hub/parked-messages/{parkedId}/retry': /*                    */ row('D D A D D D A D'),
  'POST /api/hub/parked-messages/{parkedId}/dismiss': /*                  */ row('D D A D D D A D'),
};

/** Live rooms (socket.io `/live`, `subscribe {…}`): anonymous is refused at the handshake. */
export const ROOMS: Record<string, { request: Record<string, string>; cells: Record<Column, Cell> }> = {
  'pathway-shares (system)': { request: { view: 'pathway-shares' }, cells: row('D D A D D A A D') },
  'pathway-shares (one area)': { request: { view: 'pathway-shares', area: 'SEDGEMOOR' }, cells: row('D D A D D D A D') },
  'case-list (own trust for a ward)': { request: { view: 'case-list' }, cells: row('S S A D D D D D') },
  'bed-board (summary for ward and leader)': { request: { view: 'bed-board' }, cells: row('S S A D D S D D') },
  'capacity (PRV-MENDIP-CARE)': { request: { view: 'capacity', provider: 'PRV-MENDIP-CARE' }, cells: row('D D A S D D D D') },
  'kpis (suppressed for leaders)': { request: { view: 'kpis' }, cells: row('D D A D D S A D') },
};
