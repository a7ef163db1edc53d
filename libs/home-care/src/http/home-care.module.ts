import { Module } from '@nestjs/common';
import { HomeCareHubController, HomeCarePackagesController } from './home-care-packages.controller';
import { HomeCareProvidersController } from './home-care-providers.controller';
import { HomeCareSeeder } from './home-care-seeder';
import { HomeCareService } from './home-care.service';

/**
 * The home-care context's HTTP layer and its first-start seed. Its commands, process managers and deadlines
 * come from homeCareContext(); its views from the `home-care-view` projection, mounted with the others.
 */
@Module({
  controllers: [HomeCareProvidersController, HomeCarePackagesController, HomeCareHubController],
  providers: [HomeCareService, HomeCareSeeder],
})
export class HomeCareModule {}
