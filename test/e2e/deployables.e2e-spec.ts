import { BedBaseServiceModule } from '../../apps/bed-base-service/src/bed-base-service.module';
import { CommunityReferralsServiceModule } from '../../apps/community-referrals-service/src/community-referrals-service.module';
import { DischargeServiceModule } from '../../apps/discharge-service/src/discharge-service.module';
import { HomeCareServiceModule } from '../../apps/home-care-service/src/home-care-service.module';
import { HubAppModule } from '../../apps/hub/src/hub-app.module';
import type { PlatformOptions } from '@app/platform';
import { startTestApp } from '../support/app';

type Options = Omit<PlatformOptions, 'contexts'>;

// Each deployable of the production topology boots on its own and serves its own routes only.
describe.each([
  ['discharge service', (o: Options) => DischargeServiceModule.forRoot(o), '/api/discharge-cases', '/api/bed-base/beds'],
  ['bed-base service', (o: Options) => BedBaseServiceModule.forRoot(o), '/api/bed-base/beds', '/api/discharge-cases'],
  ['home-care service', (o: Options) => HomeCareServiceModule.forRoot(o), '/api/home-care/providers', '/api/bed-base/beds'],
  [
    'community-referrals service',
    (o: Options) => CommunityReferralsServiceModule.forRoot(o),
    '/api/community-referrals',
    '/api/home-care/providers',
  ],
  ['hub', (o: Options) => HubAppModule.forRoot(o), '/api/hub/pathway-shares', '/api/discharge-cases'],
])('the %s', (_name, build, ownRoute, otherRoute) => {
  it('given its own data dir, when it starts, then it is ready, serves its routes and not another context’s', async () => {
    const t = await startTestApp(build);
    try {
      expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      const hub = await t.as('hub.coordinator');
      expect((await t.app.inject({ method: 'GET', url: ownRoute, headers: hub })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: otherRoute, headers: hub })).statusCode).toBe(404);
    } finally {
      await t.destroy();
    }
  });
});
