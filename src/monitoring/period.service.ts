import { authorize, type Actor } from '../domain/access.js';
import { parsePeriod, type Period } from '../shared/periods.js';

/** DHIS2 periods for monitoring: what a period id stands for. Periods are not stored; they are computed. */
export class PeriodService {
  /** The period a DHIS2 period id names (canonical id, type, first and last day); INVALID_PERIOD (400) if none. */
  get(actor: Actor, id: string): Period {
    authorize(actor, 'registry:read');
    return parsePeriod(id);
  }
}
