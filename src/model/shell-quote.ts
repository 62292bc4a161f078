/** A word for a POSIX shell: as is when it holds only safe characters, else in single quotes. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
