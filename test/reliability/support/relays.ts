import type Database from 'better-sqlite3';
import { bedBaseContext } from '@app/bed-base';
import { communityReferralsContext } from '@app/community-referrals';
import { dischargeContext } from '@app/discharge';
import { homeCareContext } from '@app/home-care';
import { loadReferenceData } from '@app/reference-data';

export interface RelayPosition {
  relay: string;
  /** Where the relay's stored checkpoint is (null: none stored). */
  checkpoint: number | null;
  /** The newest position of the relay's categories (null: none yet). */
  head: number | null;
}

/** Each standalone relay's checkpoint beside the newest event of its context's categories. */
export function relayPositions(db: Database.Database): RelayPosition[] {
  const referenceData = loadReferenceData();
  const contexts = [dischargeContext, homeCareContext, bedBaseContext, communityReferralsContext].map((c) => c(referenceData));
  const checkpoint = db.prepare('SELECT position FROM checkpoints WHERE name = ?');
  return contexts
    .filter((c) => c.categories.length > 0)
    .map((c) => {
      const head = db
        .prepare(`SELECT max(position) AS p FROM events WHERE category IN (${c.categories.map(() => '?').join(', ')})`)
        .get(...c.categories) as { p: number | null };
      const stored = checkpoint.get(`relay.${c.context}`) as { position: number } | undefined;
      return { relay: `relay.${c.context}`, checkpoint: stored?.position ?? null, head: head.p };
    });
}

export const describeRelays = (relays: RelayPosition[]): string =>
  relays.map((r) => `${r.relay} ${r.checkpoint ?? '-'}/${r.head ?? '-'}`).join(', ');
