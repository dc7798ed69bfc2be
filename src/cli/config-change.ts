// config:set and config:unset: send the change, say what changed (names only: values are never
// printed by a change), and with --wait follow the rolling deployment it starts.
import type {Api} from '../api/index.js'
import type {ConfigVarsPatch} from '../api/types.js'
import type {Terminal} from '../render/terminal.js'
import {applyChange, type ChangeFlags} from './change.js'

export type ConfigChangeFlags = ChangeFlags

export async function changeConfig(api: Api, term: Terminal, app: string, patch: ConfigVarsPatch, flags: ConfigChangeFlags): Promise<void> {
  const names = Object.keys(patch)
  const removing = Object.values(patch).every(value => value === null)
  await applyChange(api, term, flags, {
    app,
    doing: removing ? `Removing config vars from ⬢ ${app}` : `Setting config vars on ⬢ ${app}`,
    planned: [{kind: 'config'}],
    send: () => api.configVars.update(app, patch),
    async show() {
      const {showResult} = await import('../render/formation.js')
      showResult(term, flags.json, removing ? {app, unset: names} : {app, set: names}, `${removing ? 'Unset' : 'Set'} ${names.join(', ')} on ⬢ ${app}.`)
    },
    // A config change redeploys every type.
    touched: async () => (await api.formations.list(app)).map(formation => ({type: formation.type, change: {kind: 'config'}})),
  })
}
