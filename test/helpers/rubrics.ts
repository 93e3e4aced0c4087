import type { Rubric } from '../../src/review/rubric.js';

/** A two-criterion rubric (10 points, 6 to pass) for review tests. */
export const sampleRubric: Rubric = {
  criteria: [
    {
      id: 'design',
      name: 'Schema design',
      levels: [
        { name: 'Missing', points: 0 },
        { name: 'Adequate', points: 2 },
        { name: 'Excellent', points: 4 },
      ],
    },
    {
      id: 'queries',
      name: 'Queries',
      levels: [
        { name: 'Wrong', points: 0 },
        { name: 'Right', points: 6 },
      ],
    },
  ],
  passPoints: 6,
};
