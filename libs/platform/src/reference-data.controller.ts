import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReferenceData } from '@app/reference-data';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';

/**
 * The loaded reference lists, read-only, for any signed-in user: the web UI's pick lists and the leader
 * dashboard's target sets. Only configuration: areas, sites and wards, codes, targets and service levels.
 * Named fields are copied, so nothing else (such as the file's path on the server) is ever exposed.
 */
@ApiTags('reference data')
@ApiBearerAuth()
@Controller('api/reference-data')
export class ReferenceDataController {
  constructor(@Inject(REFERENCE_DATA) private readonly referenceData: ReferenceData) {}

  @Get()
  @Header('Cache-Control', 'private, max-age=300')
  @ApiOperation({ summary: 'Areas, hospitals and wards, delay reasons, destinations, targets and service levels' })
  get() {
    const c = this.referenceData.contents;
    return {
      format: c.format,
      name: c.name,
      illustrative: c.illustrative,
      areas: c.areas,
      trusts: c.trusts,
      hospitals: c.hospitals,
      delayReasons: c.delayReasons,
      dischargeDestinations: c.dischargeDestinations,
      pathwayTargetSets: c.pathwayTargetSets,
      homeFirstMeasures: c.homeFirstMeasures,
      serviceLevels: c.serviceLevels,
      hierarchyOfUse: c.hierarchyOfUse,
      ageBands: c.ageBands,
      delayedBedDayCost: c.delayedBedDayCost,
      leaderViews: c.leaderViews,
    };
  }
}
