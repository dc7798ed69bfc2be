// cli-table3's own measure of a cell (its published types cover only the Table).
declare module 'cli-table3/src/utils.js' {
  const utils: {
    /** The widest line of a cell, in columns, as cli-table3 pads it. */
    strlen(text: string): number
  }
  export default utils
}
