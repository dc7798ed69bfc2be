// Resident memory of dyno process groups, read from /proc in one pass per sample.
import {readFileSync} from 'node:fs'

import {processGroup, procPids} from './dyno-process.js'

/** RSS in bytes of each of the given process groups (a group with no process left is absent). */
export function groupMemory(pgids: Iterable<number>): Map<number, number> {
  const wanted = new Set(pgids)
  const rss = new Map<number, number>()
  if (wanted.size === 0) return rss
  for (const pid of procPids()) {
    const pgrp = processGroup(pid)
    if (pgrp === undefined || !wanted.has(pgrp)) continue
    rss.set(pgrp, (rss.get(pgrp) ?? 0) + residentBytes(pid))
  }
  return rss
}

function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`
}
