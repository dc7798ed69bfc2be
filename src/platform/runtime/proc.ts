// What /proc says about process groups: their members, their memory, and which processes carry
// the platform's mark. One pass over /proc per question. Linux only: elsewhere the platform refuses
// to start (see runtime.ts), since without these answers it could neither limit memory nor find orphans.
import {existsSync, readdirSync, readFileSync} from 'node:fs'

export function procAvailable(): boolean {
  return existsSync('/proc/self/stat') && existsSync('/proc/self/environ')
}

/** The members (pids) of each of the given process groups that still has any. */
export function groupMembers(pgids: Iterable<number>): Map<number, number[]> {
  const wanted = new Set(pgids)
  if (wanted.size === 0) return new Map()
  return membersByGroup(procPids().map(pid => [pid, processGroup(pid)] as const), wanted)
}

/**
 * The pids of each wanted group, from `[pid, its group]` pairs. Appended in place: copying a group's
 * list for each member took 0.8 s a sample for a dyno of 12,000 processes, blocking the event loop.
 */
export function membersByGroup(processes: Iterable<readonly [number, number | undefined]>, wanted: ReadonlySet<number>): Map<number, number[]> {
  const members = new Map<number, number[]>()
  for (const [pid, pgrp] of processes) {
    if (pgrp === undefined || !wanted.has(pgrp)) continue
    const list = members.get(pgrp)
    if (list) list.push(pid)
    else members.set(pgrp, [pid])
  }
  return members
}

/**
 * Whether a process group has a member that is not a zombie. A zombie holds nothing; whoever
 * adopted it (init) reaps it when it likes, which on some systems takes seconds.
 */
export function groupRunning(pgid: number): boolean {
  // Most often the group is gone: signal 0 says so without a look at every process.
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
  }
  return procPids().some(pid => {
    const fields = statFields(pid)
    return fields !== undefined && Number(fields[2]) === pgid && fields[0] !== 'Z'
  })
}

/** Resident set size of a process in bytes; 0 once it is gone. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/**
 * A process's proportional share of memory in bytes (PSS: each page it shares counted as its share),
 * so processes forked from one another are not charged their shared pages again each; its RSS where
 * the kernel has no smaps_rollup (before 4.14); 0 once it is gone.
 */
export function proportionalBytes(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'))
    return match ? Number(match[1]) * 1024 : residentBytes(pid)
  } catch {
    return residentBytes(pid)
  }
}

/** Whether the process's environment (as it was started) holds `NAME=value`. */
export function hasVariable(pid: number, variable: string): boolean {
  return environment(pid).includes(variable)
}

/**
 * Every process (but this one) whose environment holds `variable` (`NAME=value`), with the value
 * of `name` in it (undefined when absent).
 */
export function markedProcesses(variable: string, name: string): {pid: number, value: string | undefined}[] {
  const marked: {pid: number, value: string | undefined}[] = []
  const prefix = `${name}=`
  for (const pid of procPids()) {
    if (pid === process.pid) continue
    const env = environment(pid)
    if (!env.includes(variable)) continue
    marked.push({pid, value: env.find(entry => entry.startsWith(prefix))?.slice(prefix.length)})
  }
  return marked
}

function environment(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')
  } catch {
    // Gone, or not ours to read.
    return []
  }
}

function procPids(): number[] {
  try {
    return readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number)
  } catch {
    return []
  }
}

function processGroup(pid: number): number | undefined {
  const fields = statFields(pid)
  return fields && Number(fields[2])
}

/** The fields of /proc/PID/stat after the command name, from the state on. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}
