import 'reflect-metadata';
import { runApp } from '@app/platform';
import { DischargeServiceModule } from './discharge-service.module';

void runApp('discharge service', (env) => DischargeServiceModule.forRoot({ env }));
