/**
 * The stages of an application and who may move it where. Pure.
 *
 * applied → screening → interview → offer → hired, one step at a time, moved by the employer; `rejected` (with a
 * reason from a fixed list) by the employer and `withdrawn` by the candidate from any stage that is not final. An
 * invitation (`invited`) is the candidate's to accept (it becomes `applied`) or decline. hired, rejected, withdrawn
 * and declined are final: nothing moves out of them.
 */
export const applicationStages = [
  'invited',
  'declined',
  'applied',
  'screening',
  'interview',
  'offer',
  'hired',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationStage = (typeof applicationStages)[number];

export const finalStages: readonly ApplicationStage[] = ['declined', 'hired', 'rejected', 'withdrawn'];

/** The fixed list a rejection's reason comes from. */
export const rejectionReasons = [
  'skills-not-matching',
  'experience',
  'availability',
  'rate',
  'position-filled',
  'other-candidate',
  'no-response',
  'other',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export type Mover = 'employer' | 'candidate';

const forward: Partial<Record<ApplicationStage, ApplicationStage>> = {
  applied: 'screening',
  screening: 'interview',
  interview: 'offer',
  offer: 'hired',
};

/** The moves `mover` may make from `stage` (none from a final stage). */
export function allowedMoves(stage: ApplicationStage, mover: Mover): ApplicationStage[] {
  if (finalStages.includes(stage)) return [];
  if (stage === 'invited') return mover === 'candidate' ? ['applied', 'declined'] : [];
  if (mover === 'candidate') return ['withdrawn'];
  return [forward[stage]!, 'rejected'];
}

/** How far along the pipeline a stage is: 1 applied … 5 hired; 0 for an invitation not (yet) accepted. */
export function stageRank(stage: ApplicationStage): number {
  const rank = ['applied', 'screening', 'interview', 'offer', 'hired'].indexOf(stage);
  return rank + 1;
}

/** Whether the employer sees who the candidate is at this stage of a blind job: from the interview on. */
export function identityShown(input: { blind: boolean; stage: ApplicationStage; revealed: boolean }): boolean {
  if (input.stage === 'invited' || input.stage === 'declined') return false;
  return !input.blind || input.revealed;
}
