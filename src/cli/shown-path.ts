import { isAbsolute, relative, resolve } from 'node:path';

/** A path as the user would type it here: relative inside the working directory, else absolute. */
export function shownPath(path: string): string {
  const fromHere = relative(process.cwd(), resolve(path));
  return fromHere === '' ? '.' : fromHere.startsWith('..') || isAbsolute(fromHere) ? resolve(path) : fromHere;
}

/** `1 file`, `2 files`. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
