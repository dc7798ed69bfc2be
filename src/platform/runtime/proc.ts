// What /proc says about process groups: their members, their memory, and which processes carry
// the platform's mark. One pass over /proc per question. Linux only: elsewhere the platform refuses
// to start (see runtime.ts), since without these answers it could neither limit memory nor find orphans.
// While dynos run, the memory sample (every second) and the orphan sweep (after exits) read
// asynchronously: a dyno of thousands of processes must not hold the API and every other dyno's
// supervision for the length of a pass. The platform's start and stop read synchronously.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {readdir, readFile} from 'node:fs/promises'
import pLimit from 'p-limit'

export function procAvailable(): boolean {
  return existsSync('/proc/self/stat') && existsSync('/proc/self/environ')
}

/** The members (pids) of each of the given process groups that still has any. */
export function groupMembers(pgids: Iterable<number>): Map<number, number[]> {
  const wanted = new Set(pgids)
  if (wanted.size === 0) return new Map()
  return membersByGroup(procPids().map(pid => [pid, processGroup(pid)] as const), wanted)
}

/** At most this many /proc files read at once: node's thread pool also serves the platform's file work. */
const READS_AT_ONCE = 8

/** `groupMembers` without blocking the event loop. */
export async function readGroupMembers(pgids: Iterable<number>): Promise<Map<number, number[]>> {
  const wanted = new Set(pgids)
  if (wanted.size === 0) return new Map()
  const names = await readdir('/proc').catch(() => [])
  const limit = pLimit(READS_AT_ONCE)
  const pids = names.filter(name => /^\d+$/.test(name)).map(Number)
  const groups = await Promise.all(pids.map(pid => limit(async () => {
    const stat = await readFile(`/proc/${pid}/stat`, 'latin1').catch(() => undefined)
    return [pid, stat === undefined ? undefined : Number(afterCommand(stat)[2])] as const
  })))
  return membersByGroup(groups, wanted)
}

/**
 * Memory in bytes of each of the given processes: the RSS of a lone process, the PSS (each page it
 * shares counted as its share) of each of several, so processes forked from one another are not
 * charged their shared pages again each; the RSS where the kernel has no smaps_rollup (before 4.14);
 * 0 once a process is gone.
 */
export async function processMemory(pids: readonly number[]): Promise<number[]> {
  const limit = pLimit(READS_AT_ONCE)
  return Promise.all(pids.map(pid => limit(async () => (pids.length > 1 && await memoryField(`/proc/${pid}/smaps_rollup`, 'Pss')) || memoryField(`/proc/${pid}/status`, 'VmRSS'))))
}

/** A `Name: N kB` field of a /proc file, in bytes; 0 when absent or the process is gone. */
async function memoryField(path: string, field: string): Promise<number> {
  const text = await readFile(path, 'latin1').catch(() => '')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)
  return match ? Number(match[1]) * 1024 : 0
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

/** `markedProcesses` without blocking the event loop. */
export async function readMarkedProcesses(variable: string, name: string): Promise<MarkedProcess[]> {
  const names = await readdir('/proc').catch(() => [])
  const limit = pLimit(READS_AT_ONCE)
  const pids = names.filter(entry => /^\d+$/.test(entry)).map(Number)
  return marked(await Promise.all(pids.map(pid => limit(async () => {
    // Gone, or not ours to read: no environment.
    const env = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '')
    return [pid, env.split('\0')] as const
  }))), variable, name)
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
    return afterCommand(readFileSync(`/proc/${pid}/stat`, 'latin1'))
  } catch {
    return undefined
  }
}

/** The command name (field 2) may hold spaces and parentheses: fields are counted from the last ')'. */
function afterCommand(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}
