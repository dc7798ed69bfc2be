// What an Akkeris API does beyond the controller's: the local platform lists it in a header of every
// answer, so the CLI refuses a change the API in use would ignore, before sending it.

export const FEATURES_HEADER = 'akkeris-features'

export type ApiFeature = 'one-off-dynos' | 'schedules'

/** The features a header value lists (`one-off-dynos, schedules`). */
export function parseFeatures(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(',').map(name => name.trim()).filter(name => name !== ''))
}
