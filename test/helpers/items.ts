/** A CSV item bank of `count` single-answer items over three skills; the right answer is always "b". */
export function itemsCsv(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const skill = ['esco:sql', 'esco:python', 'esco:statistics'][i % 3];
    return `"Question ${i + 1}: which is right?","Wrong ${i}|Right ${i}|Also wrong ${i}|Not this ${i}",b,${skill},${1 + (i % 5)}`;
  });
  return ['stem,options,correct,skills,difficulty', ...rows].join('\n');
}
