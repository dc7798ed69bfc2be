// A dyno's memory as its limit sees it: pages that forked processes share count once in all.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'

import {groupMemory} from '../../../src/platform/runtime/memory.js'
import {groupMembers, membersByGroup, residentBytes} from '../../../src/platform/runtime/proc.js'

const MIB = 1024 * 1024
/** 64 MiB written (so resident), then three forks that share it without writing, all sleeping. */
const PREFORK = 'import os, time\nb = bytearray(64 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1\nfor _ in range(3):\n    if os.fork() == 0: break\ntime.sleep(30)\n'

describe('dyno memory', function () {
  this.timeout(20_000)
  let group: ChildProcess | undefined

  afterEach(() => {
    if (group?.pid) process.kill(-group.pid, 'SIGKILL')
    group = undefined
  })

  it('charges a pre-forking dyno its shared pages once, not once per process', async () => {
    group = spawn('python3', ['-c', PREFORK], {detached: true, stdio: 'ignore'})
    const pgid = group.pid as number
    let pids: number[] = []
    for (let wait = 0; wait < 200 && (pids.length < 4 || pids.some(pid => residentBytes(pid) < 60 * MIB)); wait++) {
      await new Promise(resolve => setTimeout(resolve, 25))
      pids = groupMembers([pgid]).get(pgid) ?? []
    }
    const summedRss = pids.reduce((sum, pid) => sum + residentBytes(pid), 0)
    expect(summedRss, 'four processes of 64 MiB each by RSS').to.be.above(4 * 60 * MIB)
    const used = groupMemory([pgid]).get(pgid) ?? 0
    expect(used).to.be.within(60 * MIB, 100 * MIB)
  })

  // The sampler runs on the event loop every second: its cost must grow with the processes, not their square.
  it('lists the members of a group of 100,000 processes at once', () => {
    const processes: [number, number | undefined][] = []
    for (let pid = 1; pid <= 100_000; pid++) processes.push([pid, pid % 10 === 0 ? 7 : 3])
    processes.push([100_001, undefined])
    const started = performance.now()
    const members = membersByGroup(processes, new Set([3, 7]))
    const took = performance.now() - started
    expect(members.get(3)).to.have.length(90_000)
    expect(members.get(7)?.slice(0, 3)).to.deep.equal([10, 20, 30])
    expect(members.has(5)).to.equal(false)
    expect(took, 'milliseconds').to.be.below(1000)
  })
})
