import { authorize, type Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import type { Approval } from '../store/workflow.repository.js';
import { resolveUnit, type ReportingUnitQuery } from './reporting-unit.js';

/**
 * Approval of M&E data per data set, period, place and attribute option combo (DESIGN §2.2),
 * bottom-up: a place is approved only after every place below it that reported for the data set
 * is approved, and unapproved only while nothing above it is approved. Approval at a place locks
 * the data set's values there and below: writes answer 409 DATA_APPROVED until it is unapproved.
 */
export class ApprovalService {
  constructor(private readonly store: Store) {}

  /** The approval state of a unit: approved here, approved above (locked), and the approvals below. */
  async status(actor: Actor, q: ReportingUnitQuery) {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const u = await resolveUnit(repos, actor, q);
    const [here, above, below] = await Promise.all([
      repos.workflow.approval(u.key),
      repos.workflow.approvalsAround(u.key, u.place.path, 'above'),
      repos.workflow.approvalsAround(u.key, u.place.path, 'below'),
    ]);
    return {
      dataSet: { id: u.dataSet.id, name: u.dataSet.name },
      period: u.period.id,
      orgUnit: { id: u.place.id, name: u.place.name },
      attributeOptionCombo: u.aoc,
      approved: here,
      approvedAbove: above.map((a) => ({ placeId: a.placeId, placeName: a.placeName, approvedBy: a.approvedBy, approvedAt: a.approvedAt })),
      approvedBelow: below.map((a) => ({ placeId: a.placeId, placeName: a.placeName, approvedBy: a.approvedBy, approvedAt: a.approvedAt })),
      locked: here !== null || above.length > 0,
    };
  }

  async approve(actor: Actor, q: ReportingUnitQuery): Promise<Approval> {
    authorize(actor, 'data:approve');
    return this.store.transaction(async (repos) => {
      const u = await resolveUnit(repos, actor, q);
      const what = `"${u.dataSet.name}" for ${u.period.id} at ${u.place.name}`;
      if (await repos.workflow.approval(u.key)) throw new AppError('CONFLICT', `${what} is already approved`);
      const above = await repos.workflow.approvalsAround(u.key, u.place.path, 'above');
      if (above.length > 0) throw new AppError('DATA_APPROVED', `${what} is already covered by the approval at ${above[0]!.placeName}`);
      const approvedBelow = new Set((await repos.workflow.approvalsAround(u.key, u.place.path, 'below')).map((a) => a.placeId));
      const below = (await repos.workflow.assignedPlaces(u.dataSet.id, u.place.path)).filter((p) => p.id !== u.place.id);
      const counts = await repos.workflow.valueCounts(
        u.dataSet.elements,
        u.period.id,
        below.map((p) => p.id),
      );
      const waiting = below.filter((p) => (counts.get(p.id) ?? 0) > 0 && !approvedBelow.has(p.id));
      if (waiting.length > 0) {
        throw new AppError(
          'CONFLICT',
          `approve the places below first (bottom-up): ${waiting
            .slice(0, 5)
            .map((p) => p.name)
            .join(', ')}${waiting.length > 5 ? ` and ${waiting.length - 5} more` : ''} reported ${u.period.id} and are not approved`,
          {
            waiting: waiting.map((p) => ({ id: p.id, name: p.name })),
          },
        );
      }
      const approval = await repos.workflow.approve(u.key, actor.label);
      await repos.audit.append([
        { actor: actor.label, action: 'approve', objectType: 'data-approval', objectId: u.dataSet.id, after: approval, placePath: u.place.path },
      ]);
      return approval;
    });
  }

  async unapprove(actor: Actor, q: ReportingUnitQuery): Promise<void> {
    authorize(actor, 'data:approve');
    await this.store.transaction(async (repos) => {
      const u = await resolveUnit(repos, actor, q);
      const what = `"${u.dataSet.name}" for ${u.period.id} at ${u.place.name}`;
      const before = await repos.workflow.approval(u.key);
      if (!before) throw new AppError('NOT_FOUND', `${what} is not approved`);
      const above = await repos.workflow.approvalsAround(u.key, u.place.path, 'above');
      if (above.length > 0) throw new AppError('CONFLICT', `unapprove ${above[0]!.placeName} first: its approval covers ${what}`);
      await repos.workflow.unapprove(u.key);
      await repos.audit.append([
        { actor: actor.label, action: 'unapprove', objectType: 'data-approval', objectId: u.dataSet.id, before, after: null, placePath: u.place.path },
      ]);
    });
  }
}
