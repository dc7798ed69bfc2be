// What /proc says about process groups: their members, their memory, and which processes carry
// the platform's mark. One pass over /proc per question. Linux only: elsewhere the platform refuses
// to start (see runtime.ts), since without these answers it could neither limit memory nor find orphans.
// While dynos run, the memory sample (every second) and the orphan sweep (after exits) give the
// event loop back every few milliseconds of a pass: a dyno of thousands of processes must not hold
// the API and every other dyno's supervision for the length of one. The platform's start and stop
// read in one go.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {setImmediate as nextTurn} from 'node:timers/promises'

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
 * How long a pass over /proc reads before it lets the event loop turn. Each read stays synchronous:
 * /proc files are made in memory in microseconds, and the thread pool's reads cost three to four
 * times the CPU (5,000 processes: 1.3 to 1.6 s a sample against 0.4 s).
 */
const SLICE_MS = 5

/** `read` of each pid, the event loop turning every few milliseconds. */
export async function readEach<T>(pids: readonly number[], read: (pid: number) => T): Promise<T[]> {
  const results: T[] = []
  let since = performance.now()
  for (const pid of pids) {
    if (performance.now() - since >= SLICE_MS) {
      await nextTurn()
      since = performance.now()
    }
    results.push(read(pid))
  }
  return results
}

/** `groupMembers`, the event loop turning during the pass. */
export async function readGroupMembers(pgids: Iterable<number>): Promise<Map<number, number[]>> {
  const wanted = new Set(pgids)
  if (wanted.size === 0) return new Map()
  return membersByGroup(await readEach(procPids(), pid => [pid, processGroup(pid)] as const), wanted)
}

/**
 * Memory in bytes of each of the given processes: the RSS of a lone process, the PSS (each page it
 * shares counted as its share) of each of several, so processes forked from one another are not
 * charged their shared pages again each; the RSS where the kernel has no smaps_rollup (before 4.14);
 * 0 once a process is gone.
 */
export async function processMemory(pids: readonly number[]): Promise<number[]> {
  return readEach(pids, pid => (pids.length > 1 && memoryField(`/proc/${pid}/smaps_rollup`, PSS)) || memoryField(`/proc/${pid}/status`, RSS))
}

const PSS = /^Pss:\s+(\d+) kB$/m
const RSS = /^VmRSS:\s+(\d+) kB$/m

/** A `Name: N kB` field of a /proc file, in bytes; 0 when absent or the process is gone. */
function memoryField(path: string, field: RegExp): number {
  try {
    const match = field.exec(readFileSync(path, 'latin1'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
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
 * A member of a process group that is not a zombie (a zombie holds nothing; whoever adopted it,
 * init, reaps it when it likes, which on some systems takes seconds), or undefined when none is
 * left. `known`, a member found before, is looked at first: while it lives (a process that ignores
 * SIGTERM for the whole grace period) one read answers instead of a look at every process.
 */
export function liveMember(pgid: number, known?: number): number | undefined {
  // Most often the group is gone: signal 0 says so without a look at every process.
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return undefined
  }
  if (known !== undefined && isLiveMember(known, pgid)) return known
  return procPids().find(pid => isLiveMember(pid, pgid))
}

function isLiveMember(pid: number, pgid: number): boolean {
  const fields = statFields(pid)
  return fields !== undefined && Number(fields[2]) === pgid && fields[0] !== 'Z'
}

/** Whether the process's environment (as it was started) holds `NAME=value`. */
export function hasVariable(pid: number, variable: string): boolean {
  return environment(pid).includes(variable)
}

/**
 * Every process (but this one) whose environment holds `variable` (`NAME=value`), with the value
 * of `name` in it (undefined when absent).
 */
export function markedProcesses(variable: string, name: string): MarkedProcess[] {
  return marked(procPids().map(pid => [pid, environment(pid)] as const), variable, name)
}

/** `markedProcesses`, the event loop turning during the pass. */
export async function readMarkedProcesses(variable: string, name: string): Promise<MarkedProcess[]> {
  return marked(await readEach(procPids(), pid => [pid, environment(pid)] as const), variable, name)
}

export interface MarkedProcess {
  pid: number
  value: string | undefined
}

function marked(processes: Iterable<readonly [number, string[]]>, variable: string, name: string): MarkedProcess[] {
  const found: MarkedProcess[] = []
  const prefix = `${name}=`
  for (const [pid, env] of processes) {
    if (pid === process.pid || !env.includes(variable)) continue
    found.push({pid, value: env.find(entry => entry.startsWith(prefix))?.slice(prefix.length)})
  }
  return found
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
