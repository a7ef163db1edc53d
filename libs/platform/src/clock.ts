// The clock port lives in @app/time; the platform provides it under the same token.
import { CLOCK, SystemClock, type Clock } from '@app/time';

export { CLOCK, type Clock };
export const systemClock: Clock = new SystemClock();
