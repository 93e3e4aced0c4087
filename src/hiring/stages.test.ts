import { describe, expect, it } from 'vitest';
import { allowedMoves, applicationStages, finalStages, identityShown, stageRank } from './stages.js';

describe('application stages', () => {
  it('the employer moves one step forward or rejects; nothing leaves a final stage', () => {
    expect(allowedMoves('applied', 'employer')).toEqual(['screening', 'rejected']);
    expect(allowedMoves('screening', 'employer')).toEqual(['interview', 'rejected']);
    expect(allowedMoves('interview', 'employer')).toEqual(['offer', 'rejected']);
    expect(allowedMoves('offer', 'employer')).toEqual(['hired', 'rejected']);
    for (const stage of finalStages) {
      expect(allowedMoves(stage, 'employer')).toEqual([]);
      expect(allowedMoves(stage, 'candidate')).toEqual([]);
    }
    // Never backwards: no stage allows a move to a stage ranked before it.
    for (const stage of applicationStages) {
      for (const to of allowedMoves(stage, 'employer')) {
        if (to !== 'rejected') expect(stageRank(to)).toBe(stageRank(stage) + 1);
      }
    }
  });

  it('the candidate accepts or declines an invitation, and may withdraw at any stage that is not final', () => {
    expect(allowedMoves('invited', 'candidate')).toEqual(['applied', 'declined']);
    expect(allowedMoves('invited', 'employer')).toEqual([]);
    for (const stage of ['applied', 'screening', 'interview', 'offer'] as const) {
      expect(allowedMoves(stage, 'candidate')).toEqual(['withdrawn']);
    }
  });

  it('a blind job shows the candidate from the interview (the reveal), an invitation never', () => {
    expect(identityShown({ blind: true, stage: 'screening', revealed: false })).toBe(false);
    expect(identityShown({ blind: true, stage: 'interview', revealed: true })).toBe(true);
    expect(identityShown({ blind: false, stage: 'applied', revealed: false })).toBe(true);
    expect(identityShown({ blind: false, stage: 'invited', revealed: false })).toBe(false);
    expect(stageRank('invited')).toBe(0);
    expect(stageRank('hired')).toBe(5);
  });
});
