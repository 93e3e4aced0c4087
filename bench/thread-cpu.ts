import { readFileSync, readdirSync } from 'node:fs';

/** CPU seconds used so far by this process's main thread and by all its threads (Linux /proc; else undefined). */
export function threadCpu(): { main: number; all: number } | undefined {
  try {
    let all = 0;
    let main = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      all += seconds;
      if (Number(tid) === process.pid) main = seconds;
    }
    return { main, all };
  } catch {
    return undefined;
  }
}
