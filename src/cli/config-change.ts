// config:set and config:unset: send the change, say what changed (names only: values are never
// printed by a change), and with --wait follow the rolling deployment it starts.
import type {Api} from '../api/index.js'
import type {ConfigVarsPatch} from '../api/types.js'
import type {Terminal} from '../render/terminal.js'
import type {WaitFlags} from './wait.js'

export interface ConfigChangeFlags extends WaitFlags {
  wait?: boolean
}

export async function changeConfig(api: Api, term: Terminal, app: string, patch: ConfigVarsPatch, flags: ConfigChangeFlags): Promise<void> {
  const names = Object.keys(patch)
  const removing = Object.values(patch).every(value => value === null)
  const waiting = flags.wait ? await import('./wait.js') : undefined
  // Every dyno running now is replaced: a config change redeploys every type.
  const baseline = await waiting?.takeBaseline(api, app, true)
  term.spinner.start(removing ? `Removing config vars from ⬢ ${app}` : `Setting config vars on ⬢ ${app}`)
  await api.configVars.update(app, patch)
  term.spinner.stop()
  const {showResult} = await import('../render/formation.js')
  showResult(term, flags.json, removing ? {app, unset: names} : {app, set: names}, `${removing ? 'Unset' : 'Set'} ${names.join(', ')} on ⬢ ${app}.`)
  if (waiting && baseline) {
    const formations = await api.formations.list(app)
    const targets = formations.map(formation => waiting.target(formation.type, baseline, true))
    await waiting.waitAfterChange(api, term, app, baseline, targets, flags)
  }
}
