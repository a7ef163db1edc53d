import { seedBeds, seedCommands, somersetBedBase } from './somerset-bed-base';
import { admin, metadata } from './testing/builders';
import { InMemoryBedBase } from './testing/in-memory-bed-base';

describe('the Somerset-shaped illustrative bed base', () => {
  const beds = seedBeds();
  const sites = somersetBedBase.sites;

  it('covers the four localities', () =>
    expect(new Set(sites.map((s) => s.locality))).toEqual(
      new Set(['MENDIP', 'SEDGEMOOR', 'SOUTH_SOMERSET', 'SOMERSET_WEST_AND_TAUNTON']),
    ));

  it('has 12 OPMH+ beds over two sites', () => {
    const opmh = beds.filter((b) => b.category === 'opmh');
    expect(opmh).toHaveLength(12);
    expect(new Set(opmh.map((b) => b.siteId)).size).toBe(2);
  });

  it('has every kind of bed the hub coordinates, in every tier of the hierarchy', () => {
    expect(new Set(sites.map((s) => s.kind))).toEqual(new Set(['community-hospital', 'care-home', 'rehab-unit', 'hospice']));
    expect(beds.some((b) => b.funding === 'block' && b.category === 'rehab' && b.tier === 1)).toBe(true);
    expect(beds.some((b) => b.pathway === 3 && b.funding === 'spot' && b.tier === 3)).toBe(true);
    expect(beds.some((b) => b.category === 'end-of-life')).toBe(true);
    expect(beds.some((b) => b.escalation && b.tier === 4)).toBe(true);
    expect(new Set(beds.map((b) => b.tier))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('marks every ODS code illustrative', () =>
    expect(sites.every((s) => s.odsCodeIllustrative && s.odsCode.startsWith('ZZ'))).toBe(true));

  it('has unique bed ids', () => expect(new Set(beds.map((b) => b.bedId)).size).toBe(beds.length));

  it('turns into commands every decider accepts: sites first, then beds', () => {
    const commands = seedCommands(metadata(admin));
    expect(commands.slice(0, sites.length).every((c) => c.type === 'RegisterSite')).toBe(true);
    expect(commands).toHaveLength(sites.length + beds.length);
    const world = new InMemoryBedBase();
    for (const command of commands) world.run(command);
    expect(world.streams.size).toBe(sites.length + beds.length);
    expect(new Set(commands.map((c) => c.metadata.commandId)).size).toBe(commands.length);
  });

  it('is pure: the same metadata gives the same commands', () =>
    expect(seedCommands(metadata(admin))).toEqual(seedCommands(metadata(admin))));
});
