// Memory limits: each running dyno's process group is sampled, and one over its size's limit is
// killed (its crash says why). A failure to sample or kill one dyno affects that dyno only.
import type {PlatformStore} from '../contract.js'
import {formatBytes, groupMemory} from './memory.js'

export interface SampledGroup {
  pgid: number
  size: string
  kill: (info: string) => void
}

export class MemorySampler {
  private readonly limits = new Map<string, number>()

  constructor(private readonly store: PlatformStore, private readonly log: (line: string) => void) {}

  /** Never rejects. A group's `kill` must check that the group is still the dyno's: the sample takes time. */
  async sample(groups: SampledGroup[]): Promise<void> {
    let rss: Map<number, number>
    try {
      rss = await groupMemory(groups.map(group => group.pgid))
    } catch (error) {
      this.log(`memory sample failed: ${(error as Error).message}`)
      return
    }
    for (const group of groups) {
      try {
        const limit = this.limit(group.size)
        const used = rss.get(group.pgid) ?? 0
        if (limit > 0 && used > limit) group.kill(`memory quota exceeded (${formatBytes(used)} used, limit ${formatBytes(limit)})`)
      } catch (error) {
        this.log(`memory check of process group ${group.pgid} failed: ${(error as Error).message}`)
      }
    }
  }

  private limit(size: string): number {
    let limit = this.limits.get(size)
    if (limit === undefined) {
      limit = this.store.memoryLimit(size)
      this.limits.set(size, limit)
    }
    return limit
  }
}
