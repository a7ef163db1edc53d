import 'reflect-metadata';
import { runApp } from '@app/platform';
import { BedBaseServiceModule } from './bed-base-service.module';

void runApp('bed-base service', (env) => BedBaseServiceModule.forRoot({ env }));
