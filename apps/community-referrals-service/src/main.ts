import 'reflect-metadata';
import { runApp } from '@app/platform';
import { CommunityReferralsServiceModule } from './community-referrals-service.module';

void runApp('community-referrals service', (env) => CommunityReferralsServiceModule.forRoot({ env }));
