// `aka` as users run it (the build, see built.ts) in a child process, with nothing but the local
// platform configured: for the tests of local:start, local:stop and the platform's faults, which
// need real processes.
import {execFile} from 'node:child_process'
import {join} from 'node:path'

import {akaBin} from './built.js'

export interface AkaRun {
  stdout: string
  stderr: string
  exitCode: number
}

/** Runs `aka ARGS` with HOME=home and the state folder `home/local` unless the environment names another. */
export function aka(args: string[], home: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<AkaRun> {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: home, AKKERIS_LOCAL_HOME: join(home, 'local'), NO_COLOR: '1'}
  for (const name of ['AKKERIS_API_HOST', 'AKKERIS_AUTH_HOST', 'API_TOKEN', 'API_AUTH', 'AKKERIS_APP', 'FORCE_COLOR', 'DEBUG', 'NODE_OPTIONS']) delete env[name]
  return new Promise(resolve => {
    execFile(process.execPath, [akaBin, ...args], {env: {...env, ...extraEnv}, timeout: 60_000}, (error, stdout, stderr) => {
      resolve({stdout, stderr, exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0})
    })
  })
}
