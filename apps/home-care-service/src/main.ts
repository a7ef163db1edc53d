import 'reflect-metadata';
import { runApp } from '@app/platform';
import { HomeCareServiceModule } from './home-care-service.module';

void runApp('home-care service', (env) => HomeCareServiceModule.forRoot({ env }));
