/**
 * What the benchmark reads about a server process from Linux's `/proc`: which process of a
 * process group is the server (`npm start` leads the group; the node server is its child), its
 * CPU time (user + system, all threads) and its resident memory, sampled while a phase runs so
 * the phase's peak is known. Linux only, as the benchmark machine is.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;
const RSS_SAMPLE_INTERVAL_MS = 100;

type Stat = { pid: number; command: string; ppid: number; pgrp: number; cpu_ticks: number };

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    command: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    cpu_ticks: Number(fields[11]) + Number(fields[12]),
  };
}

/**
 * The server process of the group led by `leaderPid`: following children from the leader, the
 * last `node` process (npm's child that `exec node` became, or the leader itself when it is
 * node), never a helper such as the esbuild service tsx may start.
 */
export function serverPidOf(leaderPid: number): number {
  const members = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is Stat => stat !== null && stat.pgrp === leaderPid);
  let pid = leaderPid;
  for (let depth = 0; depth < members.length; depth++) {
    const child = members.find((stat) => stat.ppid === pid && stat.command === 'node');
    if (child === undefined) break;
    pid = child.pid;
  }
  return pid;
}

/** CPU time (user + system) the process has used so far, in milliseconds. */
export function cpuTimeMs(pid: number): number {
  const stat = readStat(pid);
  if (stat === null) throw new Error(`process ${pid} is gone`);
  return (stat.cpu_ticks * 1000) / CLOCK_TICKS_PER_S;
}

/** Resident memory of the process now, in bytes (0 once it is gone). */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kib === null ? 0 : Number(kib[1]) * 1024;
  } catch {
    return 0;
  }
}

export type RssSampler = { stop: () => number };

/** Samples the resident memory of `pid` until `stop()`, which returns the peak in bytes. */
export function sampleRss(pid: number): RssSampler {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, RSS_SAMPLE_INTERVAL_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid));
    },
  };
}
